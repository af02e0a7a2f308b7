// French first, English switchable. t('key') for the app's own words; L({fr, en}) for the
// labels the server sends (workflows, states, fields, options).

const STRINGS = {
  fr: {
    app_title: 'PISERUMA — suivi des parcours',
    sign_in: 'Se connecter',
    sign_in_title: 'Connexion',
    sign_in_intro: "Collez le jeton d'accès que l'administrateur·rice vous a remis. Il reste dans cet onglet et s'efface à la déconnexion.",
    token: "Jeton d'accès",
    token_help: 'Commence par « psr_ ». Ne le partagez pas.',
    sign_out: 'Se déconnecter',
    signed_out: 'Vous êtes déconnecté·e.',
    bad_token: 'Jeton invalide ou révoqué. Vérifiez-le ou demandez-en un nouveau.',
    token_required: 'Saisissez votre jeton.',
    language: 'Langue',
    switch_lang: 'English',
    role_caseworker: 'Conseiller·ère',
    role_supervisor: 'Superviseur·e',
    role_auditor: 'Auditeur·rice',
    role_committee: 'Comité de pilotage',
    role_admin: 'Administrateur·rice',
    nav_caseload: 'Mon portefeuille',
    nav_cases: 'Dossiers',
    nav_register: 'Inscrire',
    nav_approvals: 'Approbations',
    nav_team: 'Équipe',
    nav_audit: 'Audit',
    nav_dashboard: 'Tableau de bord',
    nav_users: 'Utilisateurs',
    nav_cooperatives: 'Coopératives',
    cooperative: 'Coopérative',
    coop_activity: 'Activité',
    coop_founded_on: 'Fondée le',
    coop_local_register: 'N° registre local',
    coop_odco_register: 'N° registre ODCO',
    coop_capital: 'Capital (MAD)',
    coop_members: 'Membres',
    coop_milestones: 'Étapes franchies',
    coop_found: 'Fonder une coopérative',
    coop_none: 'Aucune coopérative dans vos villes.',
    pick_hint: 'Ctrl (ou Cmd) + clic pour en choisir plusieurs.',
    pick_none: 'Aucun choix possible pour le moment.',
    shown_of: '{n} affichés sur {total} : précisez la recherche.',
    loading: 'Chargement…',
    not_available: "Cette vue n'est pas encore disponible sur ce serveur.",
    not_available_hint: 'Le reste de l’application fonctionne ; réessayez plus tard.',
    error: 'Erreur',
    retry: 'Réessayer',
    network_error: 'Le serveur ne répond pas. Vérifiez la connexion puis réessayez.',
    forbidden: "Votre rôle ne permet pas d'ouvrir cette page.",
    caseload_title: 'Mon portefeuille',
    overdue: 'En retard',
    due_week: 'À faire cette semaine',
    awaiting_partner: "En attente d'un partenaire",
    other_cases: 'Autres dossiers actifs',
    recent_cases: 'Dossiers ouverts récemment',
    recent_hint: 'Sur cet appareil, pendant cette session.',
    no_cases: 'Aucun dossier.',
    search: 'Rechercher un dossier',
    search_label: 'Code participant·e, n° HCR ou identifiant de dossier',
    search_button: 'Rechercher',
    search_none: 'Aucun dossier trouvé pour « {q} ».',
    participant_code: 'Code participant·e',
    unhcr_id: 'N° HCR',
    city: 'Ville',
    state: 'Étape',
    next_due: 'Prochaine échéance',
    caseworker: 'Conseiller·ère',
    open: 'Ouvrir',
    register_title: 'Inscrire un·e participant·e',
    register_button: 'Inscrire',
    required_mark: 'obligatoire',
    choose: '— choisir —',
    yes: 'Oui',
    no: 'Non',
    list_hint: 'Séparez les valeurs par des virgules.',
    form_errors: 'Le formulaire contient des erreurs :',
    saved: 'Enregistré.',
    registered: 'Participant·e inscrit·e : {id}',
    conflict: 'Le dossier a été modifié entre-temps ; il a été rechargé. Vérifiez puis recommencez.',
    changed_meanwhile: "Ce dossier vient d'être modifié par quelqu'un d'autre.",
    reload: 'Recharger',
    case_title: 'Dossier',
    who: 'Qui',
    personal_sealed: 'Données personnelles scellées',
    sealed_field: 'scellé',
    personal_sealed_hint: 'Votre rôle ne permet pas de les lire.',
    personal_read_note: 'Chaque lecture des données personnelles est enregistrée.',
    full_name: 'Nom complet',
    date_of_birth: 'Date de naissance',
    phone: 'Téléphone',
    address: 'Adresse',
    erased: '[effacé]',
    sex: 'Sexe',
    age_group: "Tranche d'âge",
    nationality: 'Nationalité',
    registered_on: "Date d'inscription",
    household_size: 'Taille du ménage',
    education_level: "Niveau d'études",
    disability: 'Handicap',
    consents: 'Consentements',
    consent_none: "Aucun consentement recueilli : aucune orientation n'est possible.",
    consent_given: 'donné le {on}',
    consent_withdrawn: 'retiré le {on}',
    consent_required: 'Consentement requis avant cette orientation',
    pathways: 'Parcours',
    since: 'depuis le {on}',
    finished: 'terminé',
    deadlines: 'Échéances',
    due_on: 'échéance le {on}',
    overdue_badge: 'en retard',
    next_steps: 'Prochaines étapes',
    no_next_steps: "Aucune action possible pour vous à ce stade.",
    blocked_steps: 'Étapes bloquées',
    blocked_because: 'Bloqué :',
    submit: 'Enregistrer',
    timeline: 'Historique',
    timeline_unavailable: "L'historique détaillé n'est pas encore disponible ; voici les dernières informations connues.",
    created: 'Créé le {on}',
    last_activity: 'Dernière activité {on}',
    version: 'version {v}',
    live: 'En direct',
    offline: 'Hors ligne — reconnexion…',
    approvals_title: 'Approbations en attente',
    approvals_plans: "Plans d'affaires à examiner",
    approvals_closures: 'Clôtures proposées',
    proposed_outcome: 'Résultat proposé',
    approvals_transfers: 'Transferts en attente',
    team_title: 'Portefeuilles de mon équipe',
    active_cases: 'Dossiers actifs',
    overdue_deadlines: 'Échéances en retard',
    due_this_week: 'À faire cette semaine',
    awaiting_anapec: 'Attente ANAPEC',
    awaiting_odco: 'Attente ODCO',
    audit_title: 'Audit',
    audit_intro: "Ouvrez l'historique complet d'un dossier : chaque action, son auteur·rice, l'heure et l'empreinte.",
    audit_case: 'Identifiant du dossier',
    audit_open: "Ouvrir l'historique",
    audit_history: 'Historique du dossier',
    audit_asof: "Le dossier à un instant donné",
    audit_asof_label: 'Voir le dossier tel qu’il était le',
    audit_asof_slider: 'Événement',
    audit_asof_state: 'État à cet instant',
    audit_changes: 'Ce que cet événement a changé',
    audit_verify: "Vérification d'intégrité",
    audit_verify_button: 'Vérifier la chaîne',
    audit_verified: 'Intègre : la chaîne de hachage est vérifiée.',
    audit_broken: 'ALTÉRÉ : la chaîne est rompue.',
    verified_events: '{n} événements vérifiés',
    audit_access: "Journal d'accès",
    audit_file: "Dossier d'audit",
    audit_download: "Télécharger le dossier d'audit",
    actor: 'Auteur·rice',
    time: 'Heure (Casablanca)',
    event: 'Événement',
    hash: 'Empreinte',
    position: 'Position',
    purpose: 'Motif',
    dashboard_title: 'Tableau de bord du programme',
    dashboard_intro: 'Agrégats uniquement : aucun nom, aucune coordonnée. Les effectifs de 1 à {n} sont masqués (« <{m} »).',
    target: "Progression vers l'objectif",
    target_text: '{n} personnes autosuffisantes sur un objectif de {t}',
    funnel: 'Entonnoir par parcours',
    breakdown: 'Ventilation',
    breakdown_by: 'Ventiler par',
    dim_sex: 'Sexe',
    dim_age_group: "Tranche d'âge",
    dim_nationality: 'Nationalité',
    dim_disability: 'Handicap',
    dim_city: 'Ville',
    dim_specific_needs: 'Besoins spécifiques',
    sri: "Indice d'autosuffisance (SRI) : évolution par domaine",
    sri_baseline: 'Initiale',
    sri_endline: 'Finale',
    sri_cases: 'Personnes',
    sri_change: 'Évolution',
    turnaround: "Délai de réponse de l'ANAPEC",
    turnaround_text: 'Médiane {m} jours, 90e centile {p} jours ({n} réponses)',
    days: '{n} jours',
    target_cumulative: 'Autosuffisant·e·s (cumul)',
    title_placements: 'Embauches par mois (éligibles TAHFIZ ou non)',
    title_outcomes: 'Clôtures par résultat et par mois',
    title_anapec: "Réponses de l'ANAPEC par mois",
    title_financing_count: 'Financements accordés par mois',
    title_financing_mad: 'Montants financés par mois (MAD)',
    title_dropouts: 'Abandons de formation par motif',
    coop_founded: 'Fondées',
    coop_registered: 'Immatriculées',
    coop_operating: 'En activité',
    trends: 'Tendances mensuelles',
    all_tables: 'Toutes les tables',
    csv: 'Exporter en CSV',
    total: 'Total',
    suppressed_note: '« <{m} » : effectif masqué (protection des petits effectifs).',
    updated: 'Mis à jour (position {p})',
    cooperatives: 'Coopératives',
    users_title: 'Utilisateurs',
    user_id: 'Identifiant',
    display_name: 'Nom affiché',
    role: 'Rôle',
    cities: 'Villes',
    cities_hint: 'Séparez par des virgules (ex. Rabat, Casablanca).',
    add_user: 'Créer le compte',
    revoke: 'Révoquer',
    revoked: 'révoqué',
    revoke_confirm: 'Révoquer le jeton de {id} ? Il ne pourra plus se connecter.',
    token_once: 'Jeton (affiché une seule fois) :',
    welcome: 'Bonjour {name}',
  },
  en: {
    app_title: 'PISERUMA — pathway follow-up',
    sign_in: 'Sign in',
    sign_in_title: 'Sign in',
    sign_in_intro: 'Paste the access token your administrator gave you. It stays in this tab and is cleared when you sign out.',
    token: 'Access token',
    token_help: 'Starts with “psr_”. Do not share it.',
    sign_out: 'Sign out',
    signed_out: 'You are signed out.',
    bad_token: 'Invalid or revoked token. Check it or ask for a new one.',
    token_required: 'Enter your token.',
    language: 'Language',
    switch_lang: 'Français',
    role_caseworker: 'Caseworker',
    role_supervisor: 'Supervisor',
    role_auditor: 'Auditor',
    role_committee: 'Steering committee',
    role_admin: 'Administrator',
    nav_caseload: 'My caseload',
    nav_cases: 'Cases',
    nav_register: 'Register',
    nav_approvals: 'Approvals',
    nav_team: 'Team',
    nav_audit: 'Audit',
    nav_dashboard: 'Dashboard',
    nav_users: 'Users',
    nav_cooperatives: 'Cooperatives',
    cooperative: 'Cooperative',
    coop_activity: 'Activity',
    coop_founded_on: 'Founded on',
    coop_local_register: 'Local register no.',
    coop_odco_register: 'ODCO register no.',
    coop_capital: 'Capital (MAD)',
    coop_members: 'Members',
    coop_milestones: 'Milestones reached',
    coop_found: 'Found a cooperative',
    coop_none: 'No cooperative in your cities.',
    pick_hint: 'Ctrl (or Cmd) + click to choose several.',
    pick_none: 'Nothing to choose from yet.',
    shown_of: '{n} shown of {total}: narrow the search.',
    loading: 'Loading…',
    not_available: 'This view is not available on this server yet.',
    not_available_hint: 'The rest of the app works; try again later.',
    error: 'Error',
    retry: 'Try again',
    network_error: 'The server does not answer. Check the connection and try again.',
    forbidden: 'Your role may not open this page.',
    caseload_title: 'My caseload',
    overdue: 'Overdue',
    due_week: 'Due this week',
    awaiting_partner: "Awaiting a partner's answer",
    other_cases: 'Other active cases',
    recent_cases: 'Recently opened cases',
    recent_hint: 'On this device, in this session.',
    no_cases: 'No cases.',
    search: 'Find a case',
    search_label: 'Participant code, UNHCR number or case id',
    search_button: 'Search',
    search_none: 'No case found for “{q}”.',
    participant_code: 'Participant code',
    unhcr_id: 'UNHCR number',
    city: 'City',
    state: 'Stage',
    next_due: 'Next due',
    caseworker: 'Caseworker',
    open: 'Open',
    register_title: 'Register a participant',
    register_button: 'Register',
    required_mark: 'required',
    choose: '— choose —',
    yes: 'Yes',
    no: 'No',
    list_hint: 'Separate values with commas.',
    form_errors: 'The form has errors:',
    saved: 'Saved.',
    registered: 'Participant registered: {id}',
    conflict: 'The case changed meanwhile; it was reloaded. Check, then try again.',
    changed_meanwhile: 'Someone else has just changed this case.',
    reload: 'Reload',
    case_title: 'Case',
    who: 'Who',
    personal_sealed: 'Personal data sealed',
    sealed_field: 'sealed',
    personal_sealed_hint: 'Your role may not read it.',
    personal_read_note: 'Every read of personal data is recorded.',
    full_name: 'Full name',
    date_of_birth: 'Date of birth',
    phone: 'Phone',
    address: 'Address',
    erased: '[erased]',
    sex: 'Sex',
    age_group: 'Age group',
    nationality: 'Nationality',
    registered_on: 'Registered on',
    household_size: 'Household size',
    education_level: 'Education level',
    disability: 'Disability',
    consents: 'Consents',
    consent_none: 'No consent recorded: no referral is possible.',
    consent_given: 'given on {on}',
    consent_withdrawn: 'withdrawn on {on}',
    consent_required: 'Consent required before this referral',
    pathways: 'Pathways',
    since: 'since {on}',
    finished: 'finished',
    deadlines: 'Deadlines',
    due_on: 'due {on}',
    overdue_badge: 'overdue',
    next_steps: 'Next steps',
    no_next_steps: 'Nothing for you to do at this stage.',
    blocked_steps: 'Blocked steps',
    blocked_because: 'Blocked:',
    submit: 'Save',
    timeline: 'Timeline',
    timeline_unavailable: 'The detailed history is not available yet; here is what is known.',
    created: 'Created {on}',
    last_activity: 'Last activity {on}',
    version: 'version {v}',
    live: 'Live',
    offline: 'Offline — reconnecting…',
    approvals_title: 'Approvals waiting',
    approvals_plans: 'Business plans to review',
    approvals_closures: 'Closures proposed',
    proposed_outcome: 'Proposed outcome',
    approvals_transfers: 'Transfers pending',
    team_title: "My team's caseloads",
    active_cases: 'Active cases',
    overdue_deadlines: 'Overdue deadlines',
    due_this_week: 'Due this week',
    awaiting_anapec: 'Awaiting ANAPEC',
    awaiting_odco: 'Awaiting ODCO',
    audit_title: 'Audit',
    audit_intro: "Open a case's full history: every action, who did it, when, and its hash.",
    audit_case: 'Case id',
    audit_open: 'Open the history',
    audit_history: 'Case history',
    audit_asof: 'The case at a given moment',
    audit_asof_label: 'See the case as it was on',
    audit_asof_slider: 'Event',
    audit_asof_state: 'State at that moment',
    audit_changes: 'What this event changed',
    audit_verify: 'Integrity check',
    audit_verify_button: 'Verify the chain',
    audit_verified: 'Intact: the hash chain verifies.',
    audit_broken: 'ALTERED: the chain is broken.',
    verified_events: '{n} events verified',
    audit_access: 'Access log',
    audit_file: 'Audit file',
    audit_download: 'Download the audit file',
    actor: 'Actor',
    time: 'Time (Casablanca)',
    event: 'Event',
    hash: 'Hash',
    position: 'Position',
    purpose: 'Purpose',
    dashboard_title: 'Programme dashboard',
    dashboard_intro: 'Aggregates only: no names, no contact data. Counts from 1 to {n} are hidden (“<{m}”).',
    target: 'Progress toward the target',
    target_text: '{n} people self-reliant of a target of {t}',
    funnel: 'Funnel by pathway',
    breakdown: 'Breakdown',
    breakdown_by: 'Break down by',
    dim_sex: 'Sex',
    dim_age_group: 'Age group',
    dim_nationality: 'Nationality',
    dim_disability: 'Disability',
    dim_city: 'City',
    dim_specific_needs: 'Specific needs',
    sri: 'Self-Reliance Index (SRI): change per domain',
    sri_baseline: 'Baseline',
    sri_endline: 'Endline',
    sri_cases: 'People',
    sri_change: 'Change',
    turnaround: "ANAPEC's answer time",
    turnaround_text: 'Median {m} days, 90th percentile {p} days ({n} answers)',
    days: '{n} days',
    target_cumulative: 'Self-reliant (cumulative)',
    title_placements: 'Placements by month (TAHFIZ-eligible or not)',
    title_outcomes: 'Closures by outcome and month',
    title_anapec: "ANAPEC's answers by month",
    title_financing_count: 'Financings granted by month',
    title_financing_mad: 'Amounts financed by month (MAD)',
    title_dropouts: 'Training drop-outs by reason',
    coop_founded: 'Founded',
    coop_registered: 'Registered',
    coop_operating: 'Operating',
    trends: 'Monthly trends',
    all_tables: 'All tables',
    csv: 'Export CSV',
    total: 'Total',
    suppressed_note: '“<{m}”: count hidden (small-cell protection).',
    updated: 'Updated (position {p})',
    cooperatives: 'Cooperatives',
    users_title: 'Users',
    user_id: 'User id',
    display_name: 'Display name',
    role: 'Role',
    cities: 'Cities',
    cities_hint: 'Separate with commas (e.g. Rabat, Casablanca).',
    add_user: 'Create the account',
    revoke: 'Revoke',
    revoked: 'revoked',
    revoke_confirm: "Revoke {id}'s token? They will no longer be able to sign in.",
    token_once: 'Token (shown once only):',
    welcome: 'Hello {name}',
  },
};

let lang = localStorage.getItem('psr.lang') === 'en' ? 'en' : 'fr';

export function currentLang() { return lang; }
export function setLang(value) {
  lang = value === 'en' ? 'en' : 'fr';
  localStorage.setItem('psr.lang', lang);
  document.documentElement.lang = lang;
}

export function t(key, vars = {}) {
  let text = STRINGS[lang][key] ?? STRINGS.fr[key] ?? key;
  for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

// A server label {fr, en}; falls back to the other language, then to `fallback`.
export function L(label, fallback = '') {
  if (!label || typeof label !== 'object') return fallback;
  return label[lang] || label.fr || label.en || fallback;
}

// Labels learnt from the workflow definitions (GET /v1/workflows/{name}), for fields and
// options a step repeats without labels: field name → label, "field=value" → label.
const learnt = {fields: new Map(), options: new Map(), events: new Map()};

export function learnLabels(definition) {
  for (const form of definition.forms || []) {
    for (const f of form.fields || []) {
      if (L(f.label) && !learnt.fields.has(f.name)) learnt.fields.set(f.name, f.label);
      for (const o of f.options || []) {
        const key = `${f.name}=${o.value}`;
        if (L(o.label) && !learnt.options.has(key)) learnt.options.set(key, o.label);
      }
    }
  }
  for (const tr of definition.transitions || []) {
    if (tr.event && tr.label && !learnt.events.has(tr.event)) learnt.events.set(tr.event, tr.label);
  }
}

const FIELD_WORDS = {
  fr: {
    given_on: 'Date', assessed_on: "Date de l'évaluation", oriented_on: "Date de l'orientation", kind: 'Moment',
    housing: 'Logement', food: 'Alimentation', education: 'Éducation', health_care: 'Accès aux soins',
    health_status: 'État de santé', safety: 'Sécurité', employment: 'Emploi', financial_resources: 'Ressources financières',
    assistance: 'Assistance', debt: 'Dettes', savings: 'Épargne', social_capital: 'Capital social',
    confirmed_on: 'Date de confirmation', noted_on: 'Date', held_on: 'Date', reason: 'Motif', withdrawn_on: 'Date du retrait',
    to_city: 'Ville destinataire', accepted_on: "Date d'acceptation", approved_on: "Date d'approbation",
    hours: 'Heures', attended_on: 'Date', workshop: 'Atelier', milestone: 'Étape de suivi',
    followed_up_on: 'Date du suivi', still_employed: 'Toujours en emploi ?', monthly_wage_mad: 'Salaire mensuel (MAD)',
    rationale: 'Justification', caseworker_id: 'Conseiller·ère',
  },
  en: {
    given_on: 'Date', assessed_on: 'Assessment date', oriented_on: 'Orientation date', kind: 'When',
    housing: 'Housing', food: 'Food', education: 'Education', health_care: 'Health care', health_status: 'Health status',
    safety: 'Safety', employment: 'Employment', financial_resources: 'Financial resources', assistance: 'Assistance',
    debt: 'Debt', savings: 'Savings', social_capital: 'Social capital', confirmed_on: 'Confirmed on', noted_on: 'Date',
    held_on: 'Date', reason: 'Reason', withdrawn_on: 'Withdrawn on', to_city: 'Receiving city', accepted_on: 'Accepted on',
    approved_on: 'Approved on', hours: 'Hours', attended_on: 'Date', workshop: 'Workshop', milestone: 'Follow-up milestone',
    followed_up_on: 'Follow-up date', still_employed: 'Still employed?', monthly_wage_mad: 'Monthly wage (MAD)',
    rationale: 'Rationale', caseworker_id: 'Caseworker',
  },
};

function humanize(name) {
  const text = String(name).replace(/[_.]+/g, ' ').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function fieldLabel(field) {
  return L(field.label) || L(learnt.fields.get(field.name)) || FIELD_WORDS[lang][field.name] || humanize(field.name);
}

export function optionLabel(fieldName, option) {
  return L(option.label) || L(learnt.options.get(`${fieldName}=${option.value}`)) || String(option.value);
}

// A value the server sends as a code (sex=female, purpose=employment_referral…) in words.
export function valueLabel(fieldName, value) {
  if (value === undefined || value === null || value === '') return '—';
  return L(learnt.options.get(`${fieldName}=${value}`)) || String(value);
}

export function eventLabel(type) {
  return L(learnt.events.get(type)) || humanize(String(type).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase());
}

const TZ = 'Africa/Casablanca';

// "2026-06-02" → "02/06/2026" (fr) or "2 Jun 2026" (en); other text unchanged.
export function fmtDate(iso) {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return fmtTime(iso);
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {dateStyle: 'medium', timeZone: 'UTC'}).format(d);
}

// An RFC 3339 instant, shown in Casablanca time.
export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {dateStyle: 'medium', timeStyle: 'medium', timeZone: TZ}).format(d);
}

// The server writes some messages in both languages, "fr / en": keep the reader's.
export function pick(text) {
  const s = String(text ?? '');
  const parts = s.split(' / ');
  return parts.length === 2 ? parts[lang === 'en' ? 1 : 0] : s;
}

export function fmtNumber(n) {
  return new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {maximumFractionDigits: 2}).format(n);
}

export function today() {
  // The programme's day, in Casablanca.
  const parts = new Intl.DateTimeFormat('en-CA', {timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit'}).format(new Date());
  return parts;
}

// Key file: <data_dir>/checkpoint-key.pem, an Ed25519 private key in PKCS#8 PEM
// ("-----BEGIN PRIVATE KEY-----"), mode 0600. Checkpoint payload: see checkpoint_signer.h.
#include "api/audit/checkpoint_signer.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "engine/clock.h"
#include "engine/hash_chain.h"

namespace piseruma::api::audit {
namespace {

std::string HexDecode(std::string_view hex) {
  auto val = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2) return "";
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = val(hex[i]), lo = val(hex[i + 1]);
    if (hi < 0 || lo < 0) return "";
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

std::string RawPublicKey(EVP_PKEY* key) {
  size_t len = 32;
  std::string out(len, '\0');
  if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(out.data()), &len) != 1)
    return "";
  out.resize(len);
  return out;
}

}  // namespace

struct CheckpointSigner::Key {
  PkeyPtr pkey;
};

CheckpointSigner::CheckpointSigner(std::unique_ptr<Key> key, std::string public_key_hex)
    : key_(std::move(key)), public_key_hex_(std::move(public_key_hex)) {}
CheckpointSigner::~CheckpointSigner() = default;

std::string CheckpointMessage(uint64_t position, const std::string& head_hash_hex) {
  return "piseruma-checkpoint-v1\n" + std::to_string(position) + "\n" + head_hash_hex;
}

bool VerifyCheckpointSignature(const Checkpoint& cp) {
  const std::string pub = HexDecode(cp.public_key_hex), sig = HexDecode(cp.signature_hex);
  if (pub.size() != 32 || sig.size() != 64) return false;
  PkeyPtr key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(pub.data()), pub.size()));
  if (!key) return false;
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  const std::string msg = CheckpointMessage(cp.position, cp.head_hash_hex);
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(msg.data()), msg.size()) == 1;
}

boost::json::object Checkpoint::ToJson() const {
  boost::json::object o{{"position", position},
                        {"head_hash", head_hash_hex},
                        {"signature", signature_hex},
                        {"public_key", public_key_hex},
                        {"signed_at", signed_at}};
  if (stored_at) o["stored_at"] = stored_at;
  return o;
}

Result<Checkpoint> Checkpoint::FromJson(const boost::json::value& v) {
  const boost::json::object* o = v.if_object();
  if (!o) return Status::DataLoss("a checkpoint must be a JSON object");
  Checkpoint cp;
  try {
    cp.position = o->at("position").to_number<uint64_t>();
    cp.head_hash_hex = std::string(o->at("head_hash").as_string());
    cp.signature_hex = std::string(o->at("signature").as_string());
    cp.public_key_hex = std::string(o->at("public_key").as_string());
    if (o->contains("signed_at")) cp.signed_at = std::string(o->at("signed_at").as_string());
    if (o->contains("stored_at")) cp.stored_at = o->at("stored_at").to_number<uint64_t>();
  } catch (const std::exception& e) {
    return Status::DataLoss(std::string("a checkpoint lacks a field or has a wrong type: ") +
                            e.what());
  }
  return cp;
}

Result<std::unique_ptr<CheckpointSigner>> CheckpointSigner::Open(const std::string& data_dir,
                                                                 bool create) {
  const std::string path = (std::filesystem::path(data_dir) / "checkpoint-key.pem").string();
  auto key = std::make_unique<Key>();
  if (FILE* f = std::fopen(path.c_str(), "r")) {
    key->pkey.reset(PEM_read_PrivateKey(f, nullptr, nullptr, nullptr));
    std::fclose(f);
    if (!key->pkey || EVP_PKEY_get_id(key->pkey.get()) != EVP_PKEY_ED25519) {
      return Status::DataLoss(path + " is not an Ed25519 private key; restore it from a backup");
    }
  } else {
    if (!create)
      return Status::NotFound(path + " does not exist: no checkpoint was ever signed here");
    EVP_PKEY* generated = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    if (!generated) return Status::Internal("could not generate an Ed25519 key");
    key->pkey.reset(generated);
    const mode_t old = ::umask(077);
    FILE* out = std::fopen(path.c_str(), "wx");
    ::umask(old);
    // Another thread created it first: use theirs.
    if (!out && errno == EEXIST) return Open(data_dir, false);
    if (!out)
      return Status::Unavailable("cannot create " + path +
                                 ": check the data directory's permissions");
    const bool written =
        PEM_write_PrivateKey(out, key->pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
    const bool closed = std::fclose(out) == 0;
    ::chmod(path.c_str(), 0600);
    if (!written || !closed) return Status::Unavailable("cannot write " + path);
  }
  std::string pub = engine::HexEncode(RawPublicKey(key->pkey.get()));
  return std::unique_ptr<CheckpointSigner>(new CheckpointSigner(std::move(key), std::move(pub)));
}

Result<Checkpoint> CheckpointSigner::SignHead(engine::EventLog* log,
                                              const engine::Actor& actor) const {
  const uint64_t head = log->HeadPosition();
  if (head == 0)
    return Status::FailedPrecondition("the log is empty: there is nothing to sign yet");
  PSR_ASSIGN_OR_RETURN(auto previous, LatestCheckpoint(*log));
  const uint64_t from = previous && previous->position <= head ? previous->position : 1;
  PSR_ASSIGN_OR_RETURN(engine::VerifyReport report, log->Verify(from, head, nullptr));
  if (!report.intact) {
    return Status::DataLoss("the log is altered at position " +
                            std::to_string(report.first_broken_position) + ": " + report.problem +
                            "; no checkpoint signed");
  }
  Checkpoint cp;
  cp.position = head;
  cp.head_hash_hex = report.head_hash;
  cp.public_key_hex = public_key_hex_;
  cp.signed_at = engine::FormatRfc3339Micros(log->options().clock->NowMicros());
  const std::string msg = CheckpointMessage(cp.position, cp.head_hash_hex);
  std::string sig(64, '\0');
  size_t sig_len = sig.size();
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_->pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &sig_len,
                     reinterpret_cast<const unsigned char*>(msg.data()), msg.size()) != 1) {
    return Status::Internal("Ed25519 signing failed");
  }
  cp.signature_hex = engine::HexEncode(sig.substr(0, sig_len));
  engine::AppendRequest req;
  req.command_id = "checkpoint:" + std::to_string(head) + ":" + cp.signed_at;
  req.actor = actor;
  req.writes.push_back({kCheckpointStream,
                        engine::ExpectedVersion::Any(),
                        {engine::NewEvent{.type = kCheckpointType,
                                          .payload = boost::json::serialize(cp.ToJson())}}});
  PSR_ASSIGN_OR_RETURN(auto appended, log->Append(std::move(req)));
  cp.stored_at = appended.last_position;
  return cp;
}

Result<std::optional<Checkpoint>> LatestCheckpoint(const engine::EventLog& log,
                                                   uint64_t at_or_before) {
  auto events = log.ReadStream(
      {.stream_id = kCheckpointStream, .from_version = 0, .backward = true, .limit = 1000});
  if (!events.ok()) {
    if (events.status().code() == StatusCode::kNotFound) return std::optional<Checkpoint>();
    return events.status();
  }
  for (const auto& e : *events) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(e.envelope.payload(), ec);
    if (ec) continue;
    auto cp = Checkpoint::FromJson(v);
    if (!cp.ok()) continue;
    cp->stored_at = e.envelope.position();
    if (at_or_before == 0 || cp->position <= at_or_before) return std::optional<Checkpoint>(*cp);
  }
  return std::optional<Checkpoint>();
}

}  // namespace piseruma::api::audit

// Audit files: exported by the API and the CLI, checked by `piseruma verify-file` without
// the server; one altered byte anywhere in the proof is found; so is a forged checkpoint.
#include "api/audit/audit_file.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <fstream>
#include <sstream>

#include "api/cli/commands.h"
#include "api/event_json.h"
#include "tests/api/audit_fixture.h"

namespace piseruma::api {
namespace {

using testing::HttpResult;

int RunCli(int (*command)(int, char**), std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return command(static_cast<int>(argv.size()), argv.data());
}

std::string Base64Decode(const std::string& in) {
  std::string out(in.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()),
                                static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n) - (in.size() >= 2 && in[in.size() - 1] == '=') -
             (in.size() >= 2 && in[in.size() - 2] == '='));
  return out;
}

class AuditFileTest : public AuditTest {
 protected:
  // A case with a few events interleaved with another case's, exported by an auditor.
  std::string Export(std::string* id_out = nullptr) {
    const std::string id = Register();
    const std::string other = Register();
    for (auto& [command, data] : LongCase(3)) {
      EXPECT_EQ(Command("u-cw", id, command, data).status, 200);
      EXPECT_EQ(Command("u-cw", other, "AddNote", {{"text", "other"}}).status, 200);
    }
    if (id_out) *id_out = id;
    HttpResult r = As("u-audit").Send("GET", "/v1/cases/" + id + "/audit-file");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body;
  }
};

TEST_F(AuditFileTest, AnExportedFileVerifiesWithoutTheServer) {
  std::string id;
  const std::string text = Export(&id);
  auto v = audit::VerifyAuditFile(text, "");
  ASSERT_OK(v);
  EXPECT_TRUE(v->intact) << v->problem;
  EXPECT_TRUE(v->covered);
  EXPECT_EQ(v->events, 8u);
  const auto file = boost::json::parse(text);
  EXPECT_EQ(U(file.at("checkpoint").at("position")), U(file.at("range").at("to")));
  EXPECT_EQ(file.at("links").as_array().size(),
            U(file.at("range").at("to")) - U(file.at("range").at("from")) + 1 - 8);
  // With the server's key given, and with another.
  EXPECT_TRUE(audit::VerifyAuditFile(text, v->public_key_hex)->intact);
  EXPECT_FALSE(audit::VerifyAuditFile(text, std::string(64, 'a'))->intact);
  // The CLI, on a file on disk.
  const std::string path = dir_.path() + "/case.audit.json";
  std::ofstream(path) << text;
  EXPECT_EQ(RunCli(cli::RunVerifyFile, {"verify-file", path}), 0);
  EXPECT_EQ(RunCli(cli::RunVerifyFile, {"verify-file", path, "--public-key", v->public_key_hex}),
            0);
  EXPECT_EQ(RunCli(cli::RunVerifyFile, {"verify-file", dir_.path() + "/missing.json"}), 2);
}

TEST_F(AuditFileTest, OneAlteredByteOfAnEventIsFound) {
  const std::string text = Export();
  boost::json::object file = boost::json::parse(text).as_object();
  std::string pb = Base64Decode(std::string(file.at("events_pb").as_string()));
  const size_t at = pb.find("ANAPEC");
  ASSERT_NE(at, std::string::npos);
  pb[at] = 'B';
  file["events_pb"] = Base64Encode(pb);
  auto v = audit::VerifyAuditFile(boost::json::serialize(file), "");
  ASSERT_OK(v);
  EXPECT_FALSE(v->intact);
  EXPECT_EQ(v->first_broken_position, U(file.at("events").at(4).at("position"))) << v->problem;
  const std::string path = dir_.path() + "/altered.audit.json";
  std::ofstream(path) << boost::json::serialize(file);
  EXPECT_EQ(RunCli(cli::RunVerifyFile, {"verify-file", path}), 1);
}

TEST_F(AuditFileTest, AlteredLinksAndForgedCheckpointsAreFound) {
  const std::string text = Export();
  {
    boost::json::object file = boost::json::parse(text).as_object();
    auto& link = file["links"].as_array()[0].as_object();
    std::string bytes = Base64Decode(std::string(link.at("canonical").as_string()));
    bytes.back() ^= 1;
    link["canonical"] = Base64Encode(bytes);
    auto v = audit::VerifyAuditFile(boost::json::serialize(file), "");
    EXPECT_FALSE(v->intact) << "another case's event, altered, breaks the chain to the signed head";
  }
  {
    boost::json::object file = boost::json::parse(text).as_object();
    file["links"].as_array().erase(file["links"].as_array().begin());
    EXPECT_FALSE(audit::VerifyAuditFile(boost::json::serialize(file), "")->intact)
        << "a position left out";
  }
  {
    boost::json::object file = boost::json::parse(text).as_object();
    auto& sig = file["checkpoint"].as_object()["signature"];
    std::string s(sig.as_string());
    s[0] = s[0] == '0' ? '1' : '0';
    sig = s;
    auto v = audit::VerifyAuditFile(boost::json::serialize(file), "");
    EXPECT_FALSE(v->intact);
    EXPECT_NE(v->problem.find("signature"), std::string::npos) << v->problem;
  }
  {
    boost::json::object file = boost::json::parse(text).as_object();
    file["events"].as_array().pop_back();
    EXPECT_FALSE(audit::VerifyAuditFile(boost::json::serialize(file), "")->intact);
  }
  EXPECT_FALSE(audit::VerifyAuditFile("{}", "").ok()) << "not an audit file at all";
}

TEST_F(AuditFileTest, TheCliExportsFromTheDataDirectoryAndReplaysTheCase) {
  std::string id;
  Export(&id);  // signs a checkpoint covering the case
  HttpResult more = Command("u-cw", id, "AddNote", {{"text", "after the checkpoint"}});
  ASSERT_EQ(more.status, 200);
  const uint64_t registered = U(As("u-audit")
                                    .Send("GET", "/v1/cases/" + id + "/history")
                                    .json()
                                    .at("events")
                                    .at(0)
                                    .at("position"));
  StopAll();
  const std::string path = dir_.path() + "/cli.audit.json";
  ASSERT_EQ(
      RunCli(cli::RunAuditFile, {"audit-file", "--data", dir_.path(), "--case", id, "--out", path}),
      0);
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  auto v = audit::VerifyAuditFile(text.str(), "");
  ASSERT_OK(v);
  EXPECT_TRUE(v->intact) << v->problem;
  EXPECT_FALSE(v->covered) << "the last note is after the checkpoint";
  EXPECT_EQ(RunCli(cli::RunVerifyFile, {"verify-file", path}), 1);
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(RunCli(cli::RunReplay, {"replay", "--data", dir_.path(), "--case", id, "--as-of",
                                    std::to_string(registered)}),
            0);
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("Participant·e enregistré·e"), std::string::npos) << out;
  EXPECT_EQ(out.find("Consent recorded"), std::string::npos)
      << "as of the registration, before the consent:\n"
      << out;
  EXPECT_NE(out.find("RecordConsent"), std::string::npos) << "the next step then:\n" << out;
  Start();
}

}  // namespace
}  // namespace piseruma::api

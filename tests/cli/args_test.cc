#include "args.h"

#include <map>
#include <string>
#include <vector>

#include "commands/commands.h"
#include "gtest/gtest.h"

namespace pledgebook::cli {
namespace {

CommandSpec Spec() {
  CommandSpec spec;
  spec.name = "demo";
  spec.operands = "[PATH...]";
  spec.max_operands = 2;
  spec.flags = {
      {"group-by", "DIM[,DIM...]", "Group by.", "", "", {}},
      {"filter", "FILTER", "A filter.", "", "", {}},
      {"all", "", "Everything.", "", "", {}},
      {"top", "N", "Top rows.", "", "0", {}},
      {"deadline-seconds", "SECONDS", "Deadline.", "", "30", {}},
      {"report-addr", "HOST:PORT", "Address.", "PLEDGEBOOK_REPORT_ADDR", "127.0.0.1:50052", {}},
      {"format", "FORMAT", "Format.", "", "table", {"table", "csv", "json"}},
  };
  return spec;
}

std::map<std::string, std::string> env;
const char* FakeEnv(const char* name) {
  auto it = env.find(name);
  return it == env.end() ? nullptr : it->second.c_str();
}

Args Parse(const std::vector<std::string>& argv) { return ParseArgs(Spec(), argv, FakeEnv); }

// The message of the UsageError that parsing `argv` throws ("" when none).
std::string UsageMessage(const std::vector<std::string>& argv) {
  try {
    Parse(argv);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

class ArgsTest : public ::testing::Test {
 protected:
  void SetUp() override { env.clear(); }
};

TEST_F(ArgsTest, ValuesWithEqualsOrSeparate) {
  Args a = Parse({"--group-by=funder,year", "--filter", "publisher = \"x\"", "doc.txt"});
  EXPECT_EQ(a.Get("group-by"), "funder,year");
  EXPECT_EQ(a.Get("filter"), "publisher = \"x\"");
  EXPECT_TRUE(a.Given("filter"));
  EXPECT_FALSE(a.Given("top"));
  EXPECT_EQ(a.operands(), std::vector<std::string>{"doc.txt"});
}

TEST_F(ArgsTest, ValueMayContainEqualsAndBeEmpty) {
  Args a = Parse({"--filter=a = b", "--group-by="});
  EXPECT_EQ(a.Get("filter"), "a = b");
  EXPECT_EQ(a.Get("group-by"), "");
  EXPECT_TRUE(a.Given("group-by"));
}

TEST_F(ArgsTest, BooleanFlags) {
  EXPECT_TRUE(Parse({"--all"}).GetBool("all"));
  EXPECT_FALSE(Parse({"--all=false"}).GetBool("all"));
  EXPECT_FALSE(Parse({}).GetBool("all"));
  EXPECT_NE(UsageMessage({"--all=maybe"}).find("--all takes no value"), std::string::npos);
}

TEST_F(ArgsTest, UnknownFlagIsNamedWithASuggestion) {
  const std::string message = UsageMessage({"--group-bu=funder"});
  EXPECT_NE(message.find("unknown flag --group-bu"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean --group-by?"), std::string::npos) << message;
  EXPECT_EQ(message.find("=funder"), std::string::npos) << "the value is not part of the flag's name";
  const std::string far = UsageMessage({"--xyzzy"});
  EXPECT_NE(far.find("unknown flag --xyzzy"), std::string::npos) << far;
  EXPECT_EQ(far.find("did you mean"), std::string::npos) << far;
  EXPECT_NE(UsageMessage({"-x"}).find("unknown flag -x"), std::string::npos);
}

TEST_F(ArgsTest, MissingValue) {
  EXPECT_NE(UsageMessage({"--filter"}).find("--filter needs a value"), std::string::npos);
  EXPECT_NE(UsageMessage({"--filter", "--all"}).find("--filter needs a value"), std::string::npos);
}

TEST_F(ArgsTest, ChoicesAreChecked) {
  EXPECT_EQ(Parse({"--format=csv"}).Get("format"), "csv");
  const std::string message = UsageMessage({"--format=xml"});
  EXPECT_NE(message.find("\"xml\""), std::string::npos) << message;
  EXPECT_NE(message.find("table, csv, json"), std::string::npos) << message;
}

TEST_F(ArgsTest, FlagWinsOverEnvironmentWhichWinsOverDefault) {
  EXPECT_EQ(Parse({}).Get("report-addr"), "127.0.0.1:50052");
  env["PLEDGEBOOK_REPORT_ADDR"] = "10.0.0.1:1";
  EXPECT_EQ(Parse({}).Get("report-addr"), "10.0.0.1:1");
  EXPECT_FALSE(Parse({}).Given("report-addr"));
  EXPECT_EQ(Parse({"--report-addr=h:2"}).Get("report-addr"), "h:2");
  env["PLEDGEBOOK_REPORT_ADDR"] = "";  // empty counts as unset
  EXPECT_EQ(Parse({}).Get("report-addr"), "127.0.0.1:50052");
}

TEST_F(ArgsTest, UnderscoresAreDashes) { EXPECT_EQ(Parse({"--group_by=funder"}).Get("group-by"), "funder"); }

TEST_F(ArgsTest, DoubleDashEndsFlags) {
  Args a = Parse({"--all", "--", "--not-a-flag", "-"});
  EXPECT_EQ(a.operands(), (std::vector<std::string>{"--not-a-flag", "-"}));
}

TEST_F(ArgsTest, OperandCounts) {
  EXPECT_NE(UsageMessage({"a", "b", "c"}).find("too many operands"), std::string::npos);
  CommandSpec one = Spec();
  one.operands = "DOCUMENT_ID";
  one.min_operands = one.max_operands = 1;
  try {
    ParseArgs(one, {}, FakeEnv);
    FAIL() << "no UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("missing DOCUMENT_ID"), std::string::npos) << e.what();
  }
}

TEST_F(ArgsTest, HelpWinsOverOtherProblems) {
  EXPECT_TRUE(Parse({"--bogus", "--help"}).help());
  EXPECT_TRUE(Parse({"-h"}).help());
  EXPECT_FALSE(Parse({"--", "--help"}).help());
}

TEST_F(ArgsTest, Integers) {
  EXPECT_EQ(Parse({"--top=5"}).GetInt("top", 0, 10), 5);
  EXPECT_EQ(Parse({}).GetInt("top", 0, 10), 0);
  for (const char* bad : {"--top=abc", "--top=-1", "--top=11", "--top=1.5"}) {
    Args a = Parse({bad});
    EXPECT_THROW(a.GetInt("top", 0, 10), UsageError) << bad;
  }
  try {
    Parse({"--top=abc"}).GetInt("top", 0, 10);
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--top"), std::string::npos) << e.what();
  }
}

TEST_F(ArgsTest, Seconds) {
  EXPECT_DOUBLE_EQ(Parse({"--deadline-seconds=1.5"}).GetSeconds("deadline-seconds"), 1.5);
  EXPECT_DOUBLE_EQ(Parse({}).GetSeconds("deadline-seconds"), 30);
  for (const char* bad : {"--deadline-seconds=-1", "--deadline-seconds=soon", "--deadline-seconds=inf"}) {
    EXPECT_THROW(Parse({bad}).GetSeconds("deadline-seconds"), UsageError) << bad;
  }
}

TEST_F(ArgsTest, Lists) {
  EXPECT_EQ(Parse({"--group-by= funder,,year ,"}).GetList("group-by"), (std::vector<std::string>{"funder", "year"}));
  EXPECT_TRUE(Parse({}).GetList("group-by").empty());
}

TEST_F(ArgsTest, UndeclaredFlagIsAProgrammingError) { EXPECT_THROW(Parse({}).Get("nope"), std::logic_error); }

TEST(Wrap, LinesStayWithinTheWidth) {
  const std::string text =
      "Bearer token, sent as authorization: Bearer TOKEN on every call. Prefer the environment variable: a "
      "flag shows in the process list.";
  const std::string wrapped = Wrap(text, 30, 4);
  size_t start = 0, lines = 0;
  while (start <= wrapped.size()) {
    size_t end = wrapped.find('\n', start);
    if (end == std::string::npos) end = wrapped.size();
    std::string line = wrapped.substr(start, end - start);
    EXPECT_LE(line.size(), lines == 0 ? 30u : 34u) << line;
    if (lines > 0) EXPECT_EQ(line.substr(0, 4), "    ");
    ++lines;
    start = end + 1;
  }
  EXPECT_GT(lines, 3u);
}

// Every command's --help names every flag it accepts, and the commands that
// reach a server share the connection flags and --format.
TEST(CommandHelp, ListsEveryFlag) {
  for (const Command& c : AllCommands()) {
    const std::string usage = Usage(c.spec);
    EXPECT_NE(usage.find("usage: pledgebook " + c.spec.name), std::string::npos) << usage;
    EXPECT_NE(usage.find("-h, --help"), std::string::npos) << c.spec.name;
    for (const FlagSpec& f : c.spec.flags) {
      EXPECT_NE(usage.find("--" + f.name), std::string::npos) << c.spec.name << " --" << f.name;
      if (!f.env.empty()) EXPECT_NE(usage.find(f.env), std::string::npos) << c.spec.name << " " << f.env;
    }
  }
}

TEST(CommandHelp, ConsistentFlags) {
  std::map<std::string, std::vector<std::string>> expected = {
      {"ingest", {"ingest-addr", "token", "tls-ca-file", "deadline-seconds", "format", "concurrency"}},
      {"report", {"report-addr", "token", "tls-ca-file", "deadline-seconds", "format", "group-by", "filter", "joint",
                  "top", "roles"}},
      {"stream", {"report-addr", "token", "tls-ca-file", "deadline-seconds", "format", "filter", "order-by", "limit"}},
      {"watch", {"report-addr", "token", "tls-ca-file", "deadline-seconds", "format", "filter", "resume-cursor"}},
      {"documents", {"report-addr", "token", "tls-ca-file", "deadline-seconds", "format", "page-size", "page-token",
                     "all", "filter"}},
      {"get", {"report-addr", "token", "tls-ca-file", "deadline-seconds", "format", "view"}},
      {"parse", {"format", "content-type"}},
      {"eval", {"verbose"}},
  };
  std::vector<Command> commands = AllCommands();
  ASSERT_EQ(commands.size(), expected.size());
  for (const Command& c : commands) {
    ASSERT_TRUE(expected.count(c.spec.name)) << c.spec.name;
    for (const std::string& flag : expected[c.spec.name]) {
      bool found = false;
      for (const FlagSpec& f : c.spec.flags) found = found || f.name == flag;
      EXPECT_TRUE(found) << c.spec.name << " lacks --" << flag;
    }
  }
}

}  // namespace
}  // namespace pledgebook::cli

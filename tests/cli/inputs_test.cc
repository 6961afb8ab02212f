#include "inputs.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace pledgebook::cli {
namespace {

namespace fs = std::filesystem;

class InputsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/pledgebook-inputs-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    for (const char* f : {"docs/b.txt", "docs/a.MD", "docs/c.html", "docs/sub/d.htm", "docs/sub/e.markdown",
                          "docs/notes.json", "docs/.hidden/h.txt", "docs/.dot.txt", "other/x.txt"}) {
      Write(f);
    }
    fs::create_directories(root_ + "/empty");
  }
  void TearDown() override { fs::remove_all(root_); }

  void Write(const std::string& relative) {
    fs::path p = fs::path(root_) / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << "The agency announced $5 million.\n";
  }

  std::vector<std::string> Paths(const std::vector<Input>& inputs) {
    std::vector<std::string> paths;
    for (const Input& i : inputs) {
      EXPECT_EQ(i.error, "") << i.path;
      paths.push_back(i.path.substr(root_.size() + 1));
    }
    return paths;
  }

  std::string root_;
};

TEST_F(InputsTest, DirectoryIsWalkedRecursivelyForDocumentFiles) {
  EXPECT_EQ(Paths(CollectInputs({root_ + "/docs"})),
            (std::vector<std::string>{"docs/a.MD", "docs/b.txt", "docs/c.html", "docs/sub/d.htm",
                                      "docs/sub/e.markdown"}));
}

TEST_F(InputsTest, NamedFileIsTakenWhateverItsExtension) {
  EXPECT_EQ(Paths(CollectInputs({root_ + "/docs/notes.json"})), std::vector<std::string>{"docs/notes.json"});
}

TEST_F(InputsTest, GlobIsExpandedLikeTheShellWould) {
  EXPECT_EQ(Paths(CollectInputs({root_ + "/docs/*.txt"})), std::vector<std::string>{"docs/b.txt"});
  EXPECT_EQ(Paths(CollectInputs({root_ + "/docs/[ab].*"})), (std::vector<std::string>{"docs/a.MD", "docs/b.txt"}));
  EXPECT_EQ(Paths(CollectInputs({root_ + "/{docs,other}/?.txt"})),
            (std::vector<std::string>{"docs/b.txt", "other/x.txt"}));
  // A directory matched by a pattern is walked.
  EXPECT_EQ(Paths(CollectInputs({root_ + "/oth*"})), std::vector<std::string>{"other/x.txt"});
}

TEST_F(InputsTest, TheSameFileIsSentOnce) {
  EXPECT_EQ(Paths(CollectInputs({root_ + "/docs/b.txt", root_ + "/docs", root_ + "/docs/../docs/b.txt"})),
            (std::vector<std::string>{"docs/b.txt", "docs/a.MD", "docs/c.html", "docs/sub/d.htm",
                                      "docs/sub/e.markdown"}));
}

TEST_F(InputsTest, OperandsThatGiveNothingAreErrors) {
  std::vector<Input> inputs =
      CollectInputs({root_ + "/missing.txt", root_ + "/docs/*.pdf", root_ + "/empty", root_ + "/other/x.txt"});
  ASSERT_EQ(inputs.size(), 4u);
  EXPECT_EQ(inputs[0].error, "no such file or directory");
  EXPECT_EQ(inputs[1].error, "no file matches this pattern");
  EXPECT_NE(inputs[2].error.find("no document files"), std::string::npos);
  EXPECT_EQ(inputs[3].error, "");
  EXPECT_EQ(inputs[3].path, root_ + "/other/x.txt");
}

TEST(ContentType, FromTheExtension) {
  EXPECT_EQ(ContentTypeForPath("a/b.HTML"), "text/html");
  EXPECT_EQ(ContentTypeForPath("b.htm"), "text/html");
  EXPECT_EQ(ContentTypeForPath("b.md"), "text/markdown");
  EXPECT_EQ(ContentTypeForPath("b.markdown"), "text/markdown");
  EXPECT_EQ(ContentTypeForPath("b.txt"), "text/plain");
  EXPECT_EQ(ContentTypeForPath("b.json"), "");
  EXPECT_EQ(ContentTypeForPath("README"), "");
  EXPECT_TRUE(IsDocumentFileName("x.Markdown"));
  EXPECT_FALSE(IsDocumentFileName("x.txt.gz"));
}

}  // namespace
}  // namespace pledgebook::cli

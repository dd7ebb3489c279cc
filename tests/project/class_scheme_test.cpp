// SPDX-License-Identifier: Apache-2.0
#include "core/project/class_scheme.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "core/common/error.h"
#include "core/project/project.h"
#include "test_support.h"

namespace camlabel::project {
namespace {

TEST(ClassScheme, BuiltinPatternHasTenClassesInTheDocumentedOrder) {
  const ClassScheme scheme = builtinScheme("pattern");
  ASSERT_EQ(scheme.classes.size(), 10u);
  EXPECT_EQ(scheme.className(0, "en"), "Normal");
  EXPECT_EQ(scheme.className(1, "en"), "UIP/P");
  EXPECT_EQ(scheme.className(6, "en"), "MIP/DIP");
  EXPECT_EQ(scheme.className(9, "en"), "Unclassifiable");
  EXPECT_EQ(scheme.className(0, "ja"), "正常");
  EXPECT_EQ(scheme.className(9, "ja"), "分類不能");
  EXPECT_THROW(scheme.className(10, "en"), Error);
  EXPECT_THROW(scheme.className(0, "fr"), Error);
}

TEST(ClassScheme, BuiltinFeaturesNamesFindingsInBothLanguages) {
  const ClassScheme scheme = builtinScheme("features");
  ASSERT_EQ(scheme.classes.size(), 10u);
  EXPECT_EQ(scheme.className(1, "en"), "ground-glass opacity");
  EXPECT_EQ(scheme.className(1, "ja"), "すりガラス影");
  EXPECT_EQ(scheme.className(4, "ja"), "蜂巣肺");
  EXPECT_EQ(scheme.className(5, "ja"), "牽引性気管支拡張");
  EXPECT_THROW(builtinScheme("colours"), Error);
}

TEST(ClassScheme, RoundTripsThroughJson) {
  const ClassScheme scheme = builtinScheme("features");
  const ClassScheme back = schemeFromJson(schemeToJson(scheme), "test");
  EXPECT_EQ(back.name, scheme.name);
  ASSERT_EQ(back.classes.size(), scheme.classes.size());
  EXPECT_EQ(back.classes[8].ja, scheme.classes[8].ja);
}

struct BadScheme {
  const char* name;
  const char* json;
  const char* expected;  // part of the message
};

class CustomSchemeRejects : public testing::TestWithParam<BadScheme> {};

TEST_P(CustomSchemeRejects, WithAClearMessage) {
  test::TempDir dir;
  test::writeFile(dir / "scheme.json", GetParam().json);
  try {
    loadSchemeFile(dir / "scheme.json");
    FAIL() << "accepted " << GetParam().json;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(GetParam().expected), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("scheme.json"), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, CustomSchemeRejects,
    testing::Values(
        BadScheme{"NotJson", "{classes: [", "not valid JSON"},
        BadScheme{"OneClass", R"({"name":"x","classes":[{"en":"a","ja":"あ"}]})", "2 to 10"},
        BadScheme{"ElevenClasses",
                  R"({"name":"x","classes":[{"en":"a","ja":"1"},{"en":"b","ja":"2"},
                  {"en":"c","ja":"3"},{"en":"d","ja":"4"},{"en":"e","ja":"5"},{"en":"f","ja":"6"},
                  {"en":"g","ja":"7"},{"en":"h","ja":"8"},{"en":"i","ja":"9"},{"en":"j","ja":"10"},
                  {"en":"k","ja":"11"}]})",
                  "has 11"},
        BadScheme{"MissingJa", R"({"name":"x","classes":[{"en":"a"},{"en":"b","ja":"い"}]})",
                  "\"ja\""},
        BadScheme{"EmptyEn",
                  R"({"name":"x","classes":[{"en":" ","ja":"あ"},{"en":"b","ja":"い"}]})",
                  "empty \"en\""},
        BadScheme{"Duplicate",
                  R"({"name":"x","classes":[{"en":"a","ja":"あ"},{"en":"a","ja":"い"}]})",
                  "used by two"},
        BadScheme{"WrongType", R"({"name":"x","classes":{"en":"a"}})", "array"},
        BadScheme{"NameNotString", R"({"name":3,"classes":[]})", "\"name\""},
        // The name becomes part of the model files' names (issue 18).
        BadScheme{
            "NameEscapesTheFolder",
            R"({"name":"../../escaped","classes":[{"en":"a","ja":"あ"},{"en":"b","ja":"い"}]})",
            "may not hold '/'"},
        BadScheme{"NameWithABackslash",
                  R"({"name":"..\\x","classes":[{"en":"a","ja":"あ"},{"en":"b","ja":"い"}]})",
                  "may not hold"},
        BadScheme{"NameWithAControlCharacter",
                  R"({"name":"a\u0000b","classes":[{"en":"a","ja":"あ"},{"en":"b","ja":"い"}]})",
                  "control characters"}),
    [](const auto& param) { return std::string(param.param.name); });

TEST(ClassScheme, AcceptsAValidCustomFile) {
  test::TempDir dir;
  test::writeFile(
      dir / "s.json",
      R"({"name":"fibrosis","classes":[{"en":"none","ja":"なし"},{"en":"mild","ja":"軽度"},
                  {"en":"severe","ja":"高度"}]})");
  const ClassScheme scheme = resolveScheme((dir / "s.json").string());
  EXPECT_EQ(scheme.name, "fibrosis");
  ASSERT_EQ(scheme.classes.size(), 3u);
  EXPECT_EQ(scheme.className(2, "ja"), "高度");
}

// A scheme given in code (the GUI's wizard, a test) is checked as one read from a file before a
// project is made with it.
TEST(ClassScheme, AProjectIsNotMadeWithASchemeNamedLikeAPath) {
  test::TempDir dir;
  std::filesystem::create_directories(dir / "images");
  ProjectSettings settings;
  settings.imageRoot = dir / "images";
  settings.scheme = builtinScheme("pattern");
  settings.scheme.name = "../../escaped";
  EXPECT_THROW(Project::create(dir / "proj", settings), InputError);
  EXPECT_FALSE(std::filesystem::exists(dir / "proj"));
}

}  // namespace
}  // namespace camlabel::project

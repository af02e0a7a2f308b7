#include "api/case_view_cache.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace piseruma::api {
namespace {

std::shared_ptr<const workflows::WorkflowRegistry> Registry() {
  auto r = workflows::WorkflowRegistry::LoadDirectory(workflows::DefaultDefinitionsDir());
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return *r;
}

workflows::StreamState At(const std::string& id, uint64_t version) {
  workflows::StreamState s;
  s.set_stream_id(id);
  s.set_version(version);
  return s;
}

uint64_t RenderedVersion(const CaseView& view) {
  return boost::json::parse(view.state_json() + "}").at("version").to_number<uint64_t>();
}

TEST(CaseViewsTest, AViewIsReusedOnlyAtItsOwnVersion) {
  auto reg = Registry();
  CaseViews views(16);
  auto v3 = views.Of(*reg, At("case-A", 3));
  EXPECT_EQ(views.Of(*reg, At("case-A", 3)), v3) << "the same version is not rendered again";
  auto v4 = views.Of(*reg, At("case-A", 4));
  EXPECT_NE(v4, v3);
  EXPECT_EQ(RenderedVersion(*v4), 4u);
  // A reader still at version 3 gets version 3, never the newer view.
  auto again3 = views.Of(*reg, At("case-A", 3));
  EXPECT_EQ(RenderedVersion(*again3), 3u);
  EXPECT_EQ(views.Of(*reg, At("case-A", 4)), v4) << "the newer view is kept";
}

TEST(CaseViewsTest, StepsAreRenderedOncePerKeyAndBounded) {
  auto reg = Registry();
  CaseViews views(16);
  auto view = views.Of(*reg, At("case-A", 1));
  int renders = 0;
  auto render = [&](const std::string& text) {
    return [&renders, text] {
      ++renders;
      return text;
    };
  };
  EXPECT_EQ(*view->Steps("u-1 today", render("one")), "one");
  EXPECT_EQ(*view->Steps("u-1 today", render("other")), "one");
  EXPECT_EQ(renders, 1);
  EXPECT_EQ(*view->Steps("u-2 today", render("two")), "two") << "each user has their own steps";
  EXPECT_EQ(renders, 2);
  for (size_t i = 0; i < CaseView::kStepsPerView; ++i)
    view->Steps("u-x" + std::to_string(i), render("x"));
  EXPECT_EQ(*view->Steps("u-1 today", render("one again")), "one again")
      << "the oldest rendering was dropped to keep the bound";
}

TEST(CaseViewsTest, HoldsAtMostItsCapacity) {
  auto reg = Registry();
  CaseViews views(2);
  views.Of(*reg, At("case-A", 1));
  views.Of(*reg, At("case-B", 1));
  views.Of(*reg, At("case-C", 1));
  EXPECT_EQ(views.size(), 2u);
}

}  // namespace
}  // namespace piseruma::api

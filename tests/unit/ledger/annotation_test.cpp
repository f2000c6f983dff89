// Annotations: the caller's note of a first answer, kept on the idempotency record and handed
// back with every replay. Written by the ledger's writer in the batch after the answer.

#include "ledger/annotation.h"

#include <future>

#include <gtest/gtest.h>

#include "faulty_backend.h"
#include "ledger/batch_writer.h"
#include "ledger/ledger.h"
#include "ledger/open_ledger.h"
#include "ledger/sqlite_ledger_backend.h"
#include "ledger_test_support.h"

namespace barrage::ledger {
namespace {

using testing::top_up;

class AnnotationTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened =
            open_sqlite_ledger({.path = database_.path(), .synchronous_full = false, .read_only = false}, clock_, {});
        ASSERT_TRUE(opened);
        ledger_ = std::move(*opened);
    }

    Status annotate(std::string request_id, std::string text, UserId scope = UserId{0}) {
        std::promise<Status> done;
        auto answer = done.get_future();
        ledger_->annotate({scope, std::move(request_id), std::move(text)},
                          [&done](Status status) { done.set_value(status); });
        return answer.get();
    }

    testing::TempDatabase database_;
    FakeClock clock_;
    std::unique_ptr<Ledger> ledger_;
};

TEST(CheckAnnotation, NeedsAValidRequestIdAndABoundedText) {
    EXPECT_TRUE(check_annotation({UserId{3}, "r-1", "{}"}));
    EXPECT_EQ(check_annotation({UserId{3}, "", "{}"}).error(), Errc::bad_request);
    EXPECT_EQ(check_annotation({UserId{3}, "r 1", "{}"}).error(), Errc::bad_request);
    EXPECT_EQ(check_annotation({UserId{3}, "r-1", ""}).error(), Errc::bad_request);
    EXPECT_TRUE(check_annotation({UserId{3}, "r-1", std::string(kAnnotationBytesMax, 'x')}));
    EXPECT_EQ(check_annotation({UserId{3}, "r-1", std::string(kAnnotationBytesMax + 1, 'x')}).error(),
              Errc::bad_request);
}

TEST_F(AnnotationTest, AReplayCarriesTheFirstAnnotationAndTheFirstStays) {
    auto first = ledger_->submit_and_wait(top_up(3, 100, "t1"));
    ASSERT_TRUE(first);
    EXPECT_EQ(first->annotation, "");
    EXPECT_EQ(ledger_->submit_and_wait(top_up(3, 100, "t1"))->annotation, "") << "not annotated yet";

    ASSERT_TRUE(annotate("t1", R"({"seq":7})"));
    auto replay = ledger_->submit_and_wait(top_up(3, 100, "t1"));
    ASSERT_TRUE(replay);
    EXPECT_TRUE(replay->replayed);
    EXPECT_EQ(replay->annotation, R"({"seq":7})");
    // Everything else is the first receipt.
    auto without = *replay;
    without.replayed = false;
    without.annotation.clear();
    EXPECT_EQ(without, *first);

    ASSERT_TRUE(annotate("t1", R"({"seq":8})")) << "a second note is not an error";
    EXPECT_EQ(ledger_->submit_and_wait(top_up(3, 100, "t1"))->annotation, R"({"seq":7})");
    EXPECT_EQ(ledger_->balance(AccountId::wallet(3)).value(), 100);
}

TEST_F(AnnotationTest, AnnotatingAnUnknownRequestChangesNothing) {
    ASSERT_TRUE(annotate("never-sent", "x"));
    ASSERT_TRUE(annotate("t1", "other scope", UserId{5}));
    ASSERT_TRUE(ledger_->submit_and_wait(top_up(3, 100, "t1")));
    EXPECT_EQ(ledger_->submit_and_wait(top_up(3, 100, "t1"))->annotation, "");
}

TEST_F(AnnotationTest, AMalformedAnnotationIsRefusedAlone) {
    ASSERT_TRUE(ledger_->submit_and_wait(top_up(3, 100, "t1")));
    EXPECT_EQ(annotate("t1", "").error(), Errc::bad_request);
    ASSERT_TRUE(annotate("t1", "ok"));
    EXPECT_EQ(ledger_->submit_and_wait(top_up(3, 100, "t1"))->annotation, "ok");
}

TEST_F(AnnotationTest, AStoppedLedgerRefusesAnnotationsAtOnce) {
    ledger_->stop();
    EXPECT_EQ(annotate("t1", "x").error(), Errc::ledger_unavailable);
}

TEST(AnnotationBatch, ACommitFailureFailsTheBatchsAnnotationsToo) {
    testing::TempDatabase database;
    FakeClock clock;
    auto backend = SqliteLedgerBackend::open({.path = database.path(), .synchronous_full = false, .read_only = false});
    ASSERT_TRUE(backend);
    testing::FaultyBackend faulty(**backend);
    BatchWriter writer(faulty, clock, {});
    ASSERT_TRUE(writer.write(std::vector{top_up(3, 100, "t1")}).at(0));

    faulty.fail_commit = true;
    std::vector<Annotation> notes{{UserId{0}, "t1", "lost"}};
    auto failed = writer.write(std::vector{top_up(4, 100, "t2")}, notes);
    ASSERT_EQ(failed.annotations.size(), 1U);
    EXPECT_EQ(failed.annotations[0].error(), Errc::ledger_unavailable);

    faulty.fail_commit = false;
    auto written = writer.write(std::vector{top_up(3, 100, "t1")}, notes);
    ASSERT_TRUE(written.annotations.at(0));
    EXPECT_EQ(written.receipts.at(0)->annotation, "lost") << "a batch writes its annotations before its orders";
}

}  // namespace
}  // namespace barrage::ledger

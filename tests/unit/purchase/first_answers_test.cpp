#include "purchase/first_answers.h"

#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "base/limits.h"

namespace barrage::purchase {
namespace {

namespace asio = boost::asio;

class FirstAnswersTest : public ::testing::Test {
protected:
    using Turn = FirstAnswers::Turn;

    // Takes the turn of `key` in a coroutine on io_; `then` runs with it held (or refused).
    template <class Then>
    void take(FirstAnswers::Key key, Then then) {
        asio::co_spawn(
            io_,
            [this, key, then]() -> asio::awaitable<void> {
                auto taking = answers_->take_turn(key);
                auto turn = co_await std::move(taking);
                then(turn);
            },
            asio::detached);
    }

    // Runs what is ready; coroutines still waiting for a turn keep the context busy, so run()
    // would never return.
    void run() {
        io_.restart();
        while (io_.poll() > 0) {
        }
    }

    FakeClock clock_;
    asio::io_context io_;
    std::shared_ptr<FirstAnswers> answers_ = std::make_shared<FirstAnswers>(clock_);
    const FirstAnswers::Key key_{UserId{3}, "r-1"};
};

TEST_F(FirstAnswersTest, CopiesTakeTurnsAndALaterOneSeesWhatTheFirstRecorded) {
    std::vector<std::string> seen;
    std::optional<Turn> first;
    take(key_, [&](Result<Turn>& turn) {
        ASSERT_TRUE(turn);
        EXPECT_FALSE(turn->recorded());
        first.emplace(std::move(*turn));
    });
    for (int copy = 0; copy < 3; ++copy) {
        take(key_, [&, copy](Result<Turn>& turn) {
            ASSERT_TRUE(turn);
            seen.push_back(std::to_string(copy) + ":" + turn->recorded().value_or("none"));
        });
    }
    take({UserId{4}, "r-1"}, [&](Result<Turn>& turn) {
        ASSERT_TRUE(turn) << "another scope's request is another request";
        seen.push_back("other");
    });
    run();
    EXPECT_EQ(seen, (std::vector<std::string>{"other"})) << "the copies wait for the first";
    first->record(R"({"seq":5})");
    first.reset();  // gives the turn on
    run();
    EXPECT_EQ(seen, (std::vector<std::string>{"other", R"(0:{"seq":5})", R"(1:{"seq":5})", R"(2:{"seq":5})"}));
}

TEST_F(FirstAnswersTest, AnAnswerStaysUntilTheLedgerHoldsIt) {
    take(key_, [](Result<Turn>& turn) { turn->record("a"); });
    run();
    EXPECT_EQ(answers_->size(), 1U);
    answers_->annotated(key_, Status());
    EXPECT_EQ(answers_->size(), 0U);

    take(key_, [](Result<Turn>& turn) { EXPECT_FALSE(turn->recorded()); });
    run();
    EXPECT_EQ(answers_->size(), 0U) << "nothing recorded: nothing kept";
}

TEST_F(FirstAnswersTest, AnAnswerTheLedgerCouldNotTakeIsKeptForAWhile) {
    take(key_, [](Result<Turn>& turn) { turn->record("a"); });
    run();
    answers_->annotated(key_, make_error_code(Errc::ledger_unavailable));
    clock_.advance_ms(limits::kFirstAnswerKeptMs - 1);
    take(key_, [](Result<Turn>& turn) { EXPECT_EQ(turn->recorded(), "a"); });
    run();
    clock_.advance_ms(limits::kFirstAnswerKeptMs - 1);
    take({UserId{4}, "r-2"}, [](Result<Turn>&) {});
    run();
    EXPECT_EQ(answers_->size(), 1U) << "released again a moment ago: kept";
    clock_.advance_ms(1);
    take({UserId{4}, "r-2"}, [](Result<Turn>&) {});
    run();
    EXPECT_EQ(answers_->size(), 0U);
}

TEST_F(FirstAnswersTest, TooManyWaitingCopiesAreRefused) {
    std::optional<Turn> first;
    take(key_, [&](Result<Turn>& turn) { first.emplace(std::move(*turn)); });
    int refused = 0;
    int served = 0;
    for (std::size_t copy = 0; copy <= limits::kFirstAnswerWaitersMax; ++copy) {
        take(key_, [&](Result<Turn>& turn) {
            if (turn) {
                ++served;
            } else {
                EXPECT_EQ(turn.error(), Errc::rate_limited);
                ++refused;
            }
        });
    }
    run();
    EXPECT_EQ(refused, 1);
    first.reset();
    run();
    EXPECT_EQ(served, static_cast<int>(limits::kFirstAnswerWaitersMax));
}

TEST_F(FirstAnswersTest, ClosingDropsWaitingCopiesAndRefusesNewOnes) {
    std::optional<Turn> first;
    take(key_, [&](Result<Turn>& turn) { first.emplace(std::move(*turn)); });
    bool resumed = false;
    take(key_, [&](Result<Turn>&) { resumed = true; });
    run();
    answers_->close();
    first.reset();
    run();
    EXPECT_FALSE(resumed) << "a dropped copy never resumes";
    std::optional<std::error_code> refused;
    take({UserId{5}, "r-9"}, [&](Result<Turn>& turn) { refused = turn ? std::error_code() : turn.error(); });
    run();
    EXPECT_EQ(refused, make_error_code(Errc::shutting_down));
}

}  // namespace
}  // namespace barrage::purchase

#include "store/transaction.h"

#include <gtest/gtest.h>

namespace barrage::store {
namespace {

std::int64_t rows(Database& database) {
    Database::Statement count(database, "SELECT COUNT(*) FROM t");
    EXPECT_TRUE(count.step().value());
    return count.column_int(0);
}

void insert(Database& database) {
    Database::Statement statement(database, "INSERT INTO t (a) VALUES (1)");
    ASSERT_TRUE(statement.step());
}

TEST(Transaction, WritesStandOnlyWhenCommitted) {
    Database database({":memory:", true});
    database.exec("CREATE TABLE t (a INTEGER)");
    {
        Transaction transaction(database);
        ASSERT_TRUE(transaction.begin());
        EXPECT_TRUE(database.in_transaction());
        insert(database);
        insert(database);
    }
    EXPECT_FALSE(database.in_transaction());
    EXPECT_EQ(rows(database), 0);
    {
        Transaction transaction(database);
        ASSERT_TRUE(transaction.begin());
        insert(database);
        ASSERT_TRUE(transaction.commit());
    }
    EXPECT_EQ(rows(database), 1);
}

TEST(Transaction, ASecondBeginInsideAnOpenTransactionFails) {
    Database database({":memory:", true});
    Transaction outer(database);
    ASSERT_TRUE(outer.begin());
    Transaction inner(database);
    EXPECT_FALSE(inner.begin());             // SQLite does not nest BEGIN
    EXPECT_TRUE(database.in_transaction());  // and the outer one is still open
    EXPECT_TRUE(outer.commit());
}

}  // namespace
}  // namespace barrage::store

#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sql/types.h"
#include "sql/value.h"

namespace runnel::sql {

// Where a token starts in the statement text; 1-based as ksqlDB reports "line 1:23".
struct SourceLocation {
  int line = 1;
  int column = 1;
};

// Identifiers are stored as ksqlDB resolves them: unquoted ones upper-cased, quoted
// (`x` or "x") ones exactly as written.

// ---- Expressions -------------------------------------------------------------------------

enum class ExprKind : unsigned char {
  kLiteral,       // literal, literal_type (NULL literal: literal_type == nullptr)
  kColumn,        // name, qualifier (source alias or empty); also ROWTIME, ROWPARTITION, ROWOFFSET
  kDereference,   // children[0]->name  (struct field access)
  kSubscript,     // children[0][children[1]]  (array index from 1, negative from the end; map key)
  kUnary,         // op (kNegate, kNot), children[0]
  kBinary,        // op, children[0], children[1]
  kIsNull,        // children[0] IS [NOT] NULL  (negated = IS NOT NULL)
  kIsDistinct,    // children[0] IS [NOT] DISTINCT FROM children[1]  (negated = IS NOT DISTINCT)
  kBetween,       // children[0] [NOT] BETWEEN children[1] AND children[2]
  kIn,            // children[0] [NOT] IN (children[1..])
  kLike,          // children[0] [NOT] LIKE children[1] [ESCAPE children[2]]
  kCase,          // searched: children = when0, then0, when1, then1, ..., [else]; simple: has_operand,
                  // children[0] is the operand. has_else says whether the last child is ELSE.
  kCast,          // CAST(children[0] AS target_type)
  kFunctionCall,  // name (upper-cased), children = args; star for COUNT(*); distinct for COUNT(DISTINCT x)
  kArray,         // ARRAY[children...]
  kMap,           // MAP(k0 := v0, ...): children = k0, v0, k1, v1, ...
  kStruct,        // STRUCT(name0 := children[0], ...): field_names
  kLambda,        // (x, y) => children[0]: field_names hold the parameter names
  kIntervalUnit,  // a time unit as a function argument, e.g. TIMESTAMPADD(SECONDS, 1, ts): name
};

enum class Operator : unsigned char {
  kNegate,
  kNot,
  kAdd,
  kSubtract,
  kMultiply,
  kDivide,
  kModulus,
  kConcat,  // ||
  kEqual,
  kNotEqual,  // <> and !=
  kLess,
  kLessOrEqual,
  kGreater,
  kGreaterOrEqual,
  kAnd,
  kOr,
};

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  SourceLocation location;
  Operator op = Operator::kAnd;
  std::string name;
  std::string qualifier;
  Value literal;
  SqlTypePtr literal_type;  // kLiteral: INT, BIGINT, DOUBLE, DECIMAL(p,s), STRING, BOOLEAN; null for NULL
  SqlTypePtr target_type;   // kCast
  std::vector<ExprPtr> children;
  std::vector<std::string> field_names;
  bool negated = false;
  bool has_operand = false;
  bool has_else = false;
  bool star = false;
  bool distinct = false;
  // The expression as written, normalized (identifiers resolved, keywords upper-case):
  // ksqlDB derives default column names (KSQL_COL_0) and error messages from it.
  std::string text;
};

// ---- Queries -----------------------------------------------------------------------------

struct SelectItem {
  ExprPtr expression;       // null for `*` and `alias.*`; the struct of `expression->*`
  std::string alias;        // AS name, empty when none
  bool star = false;        // `*` or `alias.*`
  std::string star_source;  // the alias of `alias.*`
  bool struct_star = false;  // `expression->*`: every field of the struct, as a column each
};

struct Relation {
  std::string name;   // source name
  std::string alias;  // empty when none
  SourceLocation location;
};

// JOIN and WINDOW are parsed so that the engine can say "not supported yet" precisely.
struct JoinClause {
  std::string type;  // INNER, LEFT, RIGHT, FULL
  Relation right;
  ExprPtr on;
  std::string within;  // the WITHIN clause as written, empty when none
};

struct WindowClause {
  std::string type;  // TUMBLING, HOPPING, SESSION
  std::string text;  // as written
};

struct Query {
  std::vector<SelectItem> select;
  Relation from;
  std::vector<JoinClause> joins;
  std::optional<WindowClause> window;
  ExprPtr where;
  std::vector<ExprPtr> group_by;
  std::vector<ExprPtr> partition_by;
  ExprPtr having;
  bool emit_changes = false;  // EMIT CHANGES
  bool emit_final = false;    // EMIT FINAL
  std::optional<int64_t> limit;
};

// ---- Statements --------------------------------------------------------------------------

// WITH (NAME=value, ...): names upper-cased; values are string, integer, double or
// boolean literals as written.
using Properties = std::map<std::string, Value>;

enum class ColumnConstraint : unsigned char { kNone, kKey, kPrimaryKey, kHeaders, kHeader };

struct TableElement {
  std::string name;
  SqlTypePtr type;
  ColumnConstraint constraint = ColumnConstraint::kNone;
  std::string header_key;  // kHeader: HEADER('key')
  SourceLocation location;
};

struct CreateSource {  // CREATE [OR REPLACE] [SOURCE] STREAM|TABLE [IF NOT EXISTS] name (...) WITH (...)
  bool is_table = false;
  bool or_replace = false;
  bool is_source = false;
  bool if_not_exists = false;
  std::string name;
  std::vector<TableElement> elements;
  Properties properties;
};

struct CreateAsSelect {  // CREATE [OR REPLACE] STREAM|TABLE [IF NOT EXISTS] name [WITH (...)] AS SELECT
  bool is_table = false;
  bool or_replace = false;
  bool if_not_exists = false;
  std::string name;
  Properties properties;
  Query query;
};

struct InsertInto {  // INSERT INTO target [WITH (QUERY_ID='...')] SELECT ...
  std::string target;
  SourceLocation target_location;
  Properties properties;
  Query query;
};

struct InsertValues {  // INSERT INTO target [(col, ...)] VALUES (expr, ...)
  std::string target;
  std::vector<std::string> columns;  // empty: all columns in schema order
  std::vector<ExprPtr> values;
};

struct SelectStatement {  // a push (EMIT CHANGES) or pull query
  Query query;
};

struct CreateType {
  std::string name;
  SqlTypePtr type;
  bool if_not_exists = false;
};

struct DropType {
  std::string name;
  bool if_exists = false;
};

struct DropSource {  // DROP STREAM|TABLE [IF EXISTS] name [DELETE TOPIC]
  bool is_table = false;
  std::string name;
  bool if_exists = false;
  bool delete_topic = false;
};

enum class ShowWhat : unsigned char {
  kStreams,
  kTables,
  kTopics,
  kQueries,
  kProperties,
  kFunctions,
  kTypes,
  kVariables,
  kConnectors,
};

struct Show {  // SHOW|LIST what [EXTENDED]; SHOW ALL TOPICS
  ShowWhat what = ShowWhat::kStreams;
  bool extended = false;
  bool all = false;
};

struct Describe {  // DESCRIBE [EXTENDED] name; DESCRIBE STREAMS|TABLES [EXTENDED]
  std::string name;
  bool extended = false;
  bool all_streams = false;
  bool all_tables = false;
};

struct DescribeFunction {
  std::string name;
};

struct Explain {  // EXPLAIN query_id | EXPLAIN statement
  std::string query_id;
  std::string statement_text;  // when a statement follows EXPLAIN
};

struct Terminate {  // TERMINATE query_id | TERMINATE ALL
  std::string query_id;
  bool all = false;
};

struct PauseResume {  // PAUSE|RESUME query_id | ALL
  bool pause = true;
  std::string query_id;
  bool all = false;
};

struct SetProperty {  // SET 'name'='value'
  std::string name;
  std::string value;
};

struct UnsetProperty {  // UNSET 'name'
  std::string name;
};

struct DefineVariable {  // DEFINE name = 'value'
  std::string name;
  std::string value;
};

struct UndefineVariable {
  std::string name;
};

struct Print {  // PRINT topic [FROM BEGINNING] [INTERVAL|SAMPLE n] [LIMIT n]
  std::string topic;  // as written (quotes removed; case kept)
  bool from_beginning = false;
  int64_t interval = 1;
  std::optional<int64_t> limit;
};

struct AlterSource {  // ALTER STREAM|TABLE name ADD [COLUMN] col type, ...
  bool is_table = false;
  std::string name;
  std::vector<TableElement> add_columns;
};

struct RunScript {  // RUN SCRIPT 'path'
  std::string path;
};

using StatementBody =
    std::variant<CreateSource, CreateAsSelect, InsertInto, InsertValues, SelectStatement, CreateType, DropType,
                 DropSource, Show, Describe, DescribeFunction, Explain, Terminate, PauseResume, SetProperty,
                 UnsetProperty, DefineVariable, UndefineVariable, Print, AlterSource, RunScript>;

struct Statement {
  StatementBody body;
  std::string text;  // the statement's text up to and including its `;`
  SourceLocation location;
};

}  // namespace runnel::sql

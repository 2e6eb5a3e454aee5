// The statements of ksqlDB's dialect, one function per leading keyword.

#include <cstdlib>

#include "sql/parser_internal.h"

namespace runnel::sql::internal {

// The statement grammar over the shared Parser; kept out of parser_internal.h since only
// Parser::statement() needs it.
class StatementParser {
 public:
  explicit StatementParser(Parser& parser) : p_(parser) {}

  StatementBody parse() {
    const Token& first = p_.peek();
    if (first.isKeyword("SELECT")) return SelectStatement{p_.query()};
    p_.next();
    if (first.isKeyword("CREATE")) return create();
    if (first.isKeyword("INSERT")) return insert();
    if (first.isKeyword("DROP")) return drop();
    if (first.isKeyword("SHOW") || first.isKeyword("LIST")) return show();
    if (first.isKeyword("DESCRIBE")) return describe();
    if (first.isKeyword("EXPLAIN")) return explain();
    if (first.isKeyword("TERMINATE")) return terminate();
    if (first.isKeyword("PAUSE") || first.isKeyword("RESUME")) return pauseResume(first.isKeyword("PAUSE"));
    if (first.isKeyword("SET")) return set();
    if (first.isKeyword("UNSET")) return UnsetProperty{string()};
    if (first.isKeyword("DEFINE")) return define();
    if (first.isKeyword("UNDEFINE")) return UndefineVariable{p_.identifier()};
    if (first.isKeyword("PRINT")) return print();
    if (first.isKeyword("ALTER")) return alter();
    // ASSERT statements are not part of this dialect, but ksqlDB knows the word.
    if (first.isKeyword("ASSERT")) p_.failAtOrNear(p_.peek());
    if (first.isKeyword("RUN")) {
      p_.expectKeyword("SCRIPT");
      return RunScript{string()};
    }
    p_.failAtOrNear(first);
  }

 private:
  std::string string() {
    const Token& token = p_.peek();
    if (token.kind != TokenKind::kString) p_.failAtOrNear(token);
    p_.next();
    return token.unquoted();
  }

  bool ifNotExists() {
    if (!p_.acceptKeyword("IF")) return false;
    p_.expectKeyword("NOT");
    p_.expectKeyword("EXISTS");
    return true;
  }

  bool ifExists() {
    if (!p_.acceptKeyword("IF")) return false;
    p_.expectKeyword("EXISTS");
    return true;
  }

  // STREAM or TABLE; fails on anything else.
  bool isTable() {
    if (p_.acceptKeyword("TABLE")) return true;
    if (p_.acceptKeyword("STREAM")) return false;
    p_.failAtOrNear(p_.peek());
  }

  StatementBody create() {
    bool or_replace = false;
    if (p_.acceptKeyword("OR")) {
      p_.expectKeyword("REPLACE");
      or_replace = true;
    }
    bool is_source = p_.acceptKeyword("SOURCE");
    if (!or_replace && !is_source && p_.acceptKeyword("TYPE")) {
      CreateType create;
      create.if_not_exists = ifNotExists();
      create.name = p_.identifier();
      p_.expectKeyword("AS");
      create.type = p_.type();
      return create;
    }
    bool is_table = isTable();
    bool if_not_exists = ifNotExists();
    std::string name = p_.identifier();
    std::vector<TableElement> elements;
    bool has_elements = p_.atSymbol("(");
    if (p_.acceptSymbol("(")) {
      do {
        elements.push_back(p_.tableElement(true));
      } while (p_.acceptSymbol(","));
      p_.expectSymbol(")");
    }
    Properties properties;
    if (p_.acceptKeyword("WITH")) properties = p_.properties();
    if (!has_elements && !is_source && p_.acceptKeyword("AS")) {
      CreateAsSelect create{is_table, or_replace, if_not_exists, std::move(name), std::move(properties), {}};
      create.query = p_.query();
      return create;
    }
    return CreateSource{is_table, or_replace, is_source, if_not_exists, std::move(name), std::move(elements),
                        std::move(properties)};
  }

  StatementBody insert() {
    p_.expectKeyword("INTO");
    SourceLocation target_location = p_.peek().location;
    std::string target = p_.identifier();
    if (p_.atSymbol("(") || p_.atKeyword("VALUES")) {
      InsertValues insert;
      insert.target = std::move(target);
      if (p_.acceptSymbol("(")) {
        do {
          insert.columns.push_back(p_.identifier());
        } while (p_.acceptSymbol(","));
        p_.expectSymbol(")");
      }
      p_.expectKeyword("VALUES");
      p_.expectSymbol("(");
      if (!p_.atSymbol(")")) insert.values = p_.valueExpressionList();
      p_.expectSymbol(")");
      return insert;
    }
    InsertInto insert;
    insert.target = std::move(target);
    insert.target_location = target_location;
    if (p_.acceptKeyword("WITH")) insert.properties = p_.properties();
    insert.query = p_.query();
    return insert;
  }

  StatementBody drop() {
    if (p_.acceptKeyword("TYPE")) {
      DropType drop;
      drop.if_exists = ifExists();
      drop.name = p_.identifier();
      return drop;
    }
    DropSource drop;
    drop.is_table = isTable();
    drop.if_exists = ifExists();
    drop.name = p_.identifier();
    if (p_.acceptKeyword("DELETE")) {
      p_.expectKeyword("TOPIC");
      drop.delete_topic = true;
    }
    return drop;
  }

  StatementBody show() {
    static constexpr std::pair<std::string_view, ShowWhat> kWhat[] = {
        {"STREAMS", ShowWhat::kStreams},       {"TABLES", ShowWhat::kTables},       {"TOPICS", ShowWhat::kTopics},
        {"QUERIES", ShowWhat::kQueries},       {"PROPERTIES", ShowWhat::kProperties},
        {"FUNCTIONS", ShowWhat::kFunctions},   {"TYPES", ShowWhat::kTypes},         {"VARIABLES", ShowWhat::kVariables},
        {"CONNECTORS", ShowWhat::kConnectors}};
    Show show;
    if (p_.acceptKeyword("ALL")) {
      p_.expectKeyword("TOPICS");
      show.all = true;
      show.what = ShowWhat::kTopics;
    } else {
      bool known = false;
      for (const auto& [word, what] : kWhat) {
        if (p_.acceptKeyword(word)) {
          show.what = what;
          known = true;
          break;
        }
      }
      if (!known) p_.failAtOrNear(p_.peek());
    }
    show.extended = p_.acceptKeyword("EXTENDED");
    return show;
  }

  StatementBody describe() {
    if (p_.acceptKeyword("FUNCTION")) return DescribeFunction{upperCase(p_.identifier())};
    Describe describe;
    describe.extended = p_.acceptKeyword("EXTENDED");
    if (p_.acceptKeyword("STREAMS")) {
      describe.all_streams = true;
    } else if (p_.acceptKeyword("TABLES")) {
      describe.all_tables = true;
    } else {
      describe.name = p_.identifier();
    }
    describe.extended = p_.acceptKeyword("EXTENDED") || describe.extended;
    return describe;
  }

  StatementBody explain() {
    Explain explain;
    const Token& first = p_.peek();
    if (first.isKeyword("SELECT") || first.isKeyword("CREATE") || first.isKeyword("INSERT")) {
      p_.statement();
      explain.statement_text = std::string(p_.textBetween(first, p_.previous()));
    } else {
      explain.query_id = p_.identifier();
    }
    return explain;
  }

  StatementBody terminate() {
    Terminate terminate;
    if (p_.acceptKeyword("ALL")) {
      terminate.all = true;
    } else {
      terminate.query_id = p_.identifier();
    }
    return terminate;
  }

  StatementBody pauseResume(bool pause) {
    PauseResume statement;
    statement.pause = pause;
    if (p_.acceptKeyword("ALL")) {
      statement.all = true;
    } else {
      statement.query_id = p_.identifier();
    }
    return statement;
  }

  StatementBody set() {
    SetProperty set;
    set.name = string();
    p_.expectSymbol("=");
    set.value = string();
    return set;
  }

  StatementBody define() {
    DefineVariable define;
    define.name = p_.identifier();
    p_.expectSymbol("=");
    define.value = string();
    return define;
  }

  StatementBody print() {
    Print print;
    const Token& topic = p_.peek();
    if (topic.kind == TokenKind::kString || topic.kind == TokenKind::kQuotedIdentifier) {
      print.topic = topic.unquoted();
    } else if (topic.kind == TokenKind::kIdentifier) {
      print.topic = std::string(topic.raw);
    } else {
      p_.failAtOrNear(topic);
    }
    p_.next();
    if (p_.acceptKeyword("FROM")) {
      p_.expectKeyword("BEGINNING");
      print.from_beginning = true;
    }
    if (p_.acceptKeyword("INTERVAL") || p_.acceptKeyword("SAMPLE")) print.interval = p_.integerValue();
    if (p_.acceptKeyword("LIMIT")) print.limit = p_.integerValue();
    return print;
  }

  StatementBody alter() {
    AlterSource alter;
    alter.is_table = isTable();
    alter.name = p_.identifier();
    do {
      p_.expectKeyword("ADD");
      p_.acceptKeyword("COLUMN");
      alter.add_columns.push_back(p_.tableElement(false));
    } while (p_.acceptSymbol(","));
    return alter;
  }

  Parser& p_;
};

StatementBody Parser::statement() {
  return StatementParser(*this).parse();
}

TableElement Parser::tableElement(bool allow_constraints) {
  TableElement element;
  element.location = peek().location;
  element.name = identifier();
  element.type = type();
  if (!allow_constraints) return element;
  if (acceptKeyword("KEY")) {
    element.constraint = ColumnConstraint::kKey;
  } else if (acceptKeyword("PRIMARY")) {
    expectKeyword("KEY");
    element.constraint = ColumnConstraint::kPrimaryKey;
  } else if (acceptKeyword("HEADERS")) {
    element.constraint = ColumnConstraint::kHeaders;
  } else if (acceptKeyword("HEADER")) {
    element.constraint = ColumnConstraint::kHeader;
    expectSymbol("(");
    const Token& key = peek();
    if (key.kind != TokenKind::kString) failAtOrNear(key);
    element.header_key = next().unquoted();
    expectSymbol(")");
  }
  return element;
}

Properties Parser::properties() {
  Properties properties;
  expectSymbol("(");
  do {
    const Token& name = peek();
    std::string key = name.kind == TokenKind::kString ? upperCase(next().unquoted()) : upperCase(identifier());
    expectSymbol("=");
    ExprPtr value;
    if (acceptSymbol("-")) {
      if (peek().kind != TokenKind::kInteger && peek().kind != TokenKind::kDecimal &&
          peek().kind != TokenKind::kDouble) {
        failAtOrNear(peek());
      }
      value = numericLiteral(next(), true);
    } else {
      value = literal();
    }
    // Numbers are kept as their closest plain value; a DECIMAL property reads as DOUBLE.
    if (value->literal.is<Decimal>()) {
      properties[key] = std::strtod(value->text.c_str(), nullptr);
    } else {
      properties[key] = value->literal;
    }
  } while (acceptSymbol(","));
  expectSymbol(")");
  return properties;
}

}  // namespace runnel::sql::internal

#pragma once

#include <memory>

#include "sql/row_format.h"
#include "sql/value.h"
#include "streams/serde.h"

namespace runnel::sql {

// Streams serdes for SQL keys and rows in a user's format (source and sink topics)...
streams::SerdePtr<GenericKey> keySerde(std::shared_ptr<const RowFormat> format);
streams::SerdePtr<GenericRow> rowSerde(std::shared_ptr<const RowFormat> format);
// ...and in the internal self-describing encoding (repartition topics, changelogs, stores).
streams::SerdePtr<GenericKey> internalKeySerde();
streams::SerdePtr<GenericRow> internalRowSerde();

}  // namespace runnel::sql

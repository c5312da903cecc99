// See table.h.
#include "data/table.h"

#include <charconv>

#include "ops/log.h"
#include "sip/ascii.h"

namespace sbc::data {
namespace {

bool parse_int(std::string_view text, int64_t& out) {
  auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

}  // namespace

bool Table::convert(const sbc_column& column, const std::string& text, int64_t& number, std::string& why) const {
  switch (column.kind) {
    case SBC_COLUMN_INT:
    case SBC_COLUMN_DURATION:
      if (parse_int(text, number)) return true;
      why = "not a number";
      return false;
    case SBC_COLUMN_BOOL:
      if (text == "1" || text == "true" || text == "yes")
        number = 1;
      else if (text == "0" || text == "false" || text == "no")
        number = 0;
      else {
        why = "not a boolean";
        return false;
      }
      return true;
    case SBC_COLUMN_ENUM: {
      const sbc_enum& e = policy_->enums[column.enum_index];
      for (uint32_t i = 0; i < e.member_count; ++i) {
        // Values are matched case-insensitively: the article stores "TLS" and "tls" alike.
        if (sip::iequals(e.members[i], text)) {
          number = i;
          return true;
        }
      }
      why = "not one of the values of enum " + std::string(e.name);
      return false;
    }
    default:
      return true;
  }
}

size_t Table::load(const RawRows& raw) {
  rows_.clear();
  index_.clear();
  size_t skipped = 0;
  for (const auto& values : raw) {
    Row row{values, std::vector<int64_t>(values.size(), 0)};
    std::string why;
    bool ok = !values.empty() && !values[0].empty();
    if (!ok) why = "empty key";
    for (size_t c = 0; ok && c < values.size(); ++c) {
      const sbc_column& column = c == 0 ? config_->key : config_->columns[c - 1];
      ok = convert(column, values[c], row.number[c], why);
      if (!ok) why = "column " + std::string(column.name) + " = \"" + values[c] + "\" is " + why;
    }
    if (ok && index_.count(values[0])) {
      ok = false;
      why = "duplicate key";
    }
    if (!ok) {
      ++skipped;
      log::warn("table ", config_->name, ": row with key \"", values.empty() ? "" : values[0], "\" skipped: ", why);
      continue;
    }
    index_.emplace(values[0], static_cast<int64_t>(rows_.size()));
    rows_.push_back(std::move(row));
  }
  return skipped;
}

int64_t Table::find(std::string_view key) const {
  auto it = index_.find(key);
  return it == index_.end() ? -1 : it->second;
}

}  // namespace sbc::data

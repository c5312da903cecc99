// Generic-param list scanning (RFC 3261 generic-param / uri-parameter).
#include "sip/param_list.h"

#include "sip/ascii.h"

namespace sbc::sip {

namespace {

// Index of the first ';' outside a quoted-string, or text.size().
size_t param_end(std::string_view text) {
  bool in_quotes = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '\\') {
        ++i;  // the escaped byte can never close the quote
      } else if (c == '"') {
        in_quotes = false;
      }
    } else if (c == '"') {
      in_quotes = true;
    } else if (c == ';') {
      return i;
    }
  }
  return text.size();
}

Param split_param(std::string_view item) {
  Param param;
  const size_t equals = item.find('=');
  if (equals == std::string_view::npos) {
    param.name = trim_lws(item);
    return param;
  }
  param.name = trim_lws(item.substr(0, equals));
  param.value = trim_lws(item.substr(equals + 1));
  param.has_value = true;
  return param;
}

}  // namespace

bool params_well_formed(std::string_view params) {
  bool in_quotes = false;
  for (size_t i = 0; i < params.size(); ++i) {
    const char c = params[i];
    if (in_quotes) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      }
    } else if (c == '"') {
      in_quotes = true;
    } else if (!is_token_char(c) && !is_lws(c) && c != ';' && c != '=' && c != ':' &&
               c != '[' && c != ']') {
      return false;
    }
  }
  return !in_quotes;
}

bool next_param(std::string_view& rest, Param& out) {
  while (!rest.empty()) {
    const size_t end = param_end(rest);
    const std::string_view item = trim_lws(rest.substr(0, end));
    rest.remove_prefix(end < rest.size() ? end + 1 : end);
    if (!item.empty()) {
      out = split_param(item);
      return true;
    }
  }
  return false;
}

std::string_view find_param(std::string_view params, std::string_view name, bool* present) {
  if (present != nullptr) *present = false;
  Param param;
  while (next_param(params, param)) {
    if (iequals(param.name, name)) {
      if (present != nullptr) *present = true;
      return param.value;
    }
  }
  return {};
}

}  // namespace sbc::sip

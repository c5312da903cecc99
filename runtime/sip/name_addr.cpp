// name-addr / addr-spec parsing and comma-list splitting for address headers.
#include "sip/name_addr.h"

#include "sip/ascii.h"
#include "sip/param_list.h"

namespace sbc::sip {

namespace {

constexpr size_t npos = std::string_view::npos;

// Index of the quote closing the quoted-string opened at text[0], or npos.
size_t closing_quote(std::string_view text) {
  for (size_t i = 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i;
    }
  }
  return npos;
}

// Unquoted display names are *(token LWS); we accept any non-control byte
// except the delimiters because UAs routinely send raw UTF-8 names.
bool is_plausible_bare_display(std::string_view display) {
  for (char c : display) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && !is_lws(c)) || byte == 0x7f || c == '"' || c == '<' || c == '>') {
      return false;
    }
  }
  return true;
}

// After the addr part only blanks and ';'-introduced params may follow.
bool take_params(std::string_view tail, NameAddr& out) {
  tail = trim_lws(tail);
  if (tail.empty()) return true;
  if (tail.front() != ';') return false;
  out.params = trim_lws(tail.substr(1));
  return params_well_formed(out.params);
}

bool parse_bracketed(std::string_view text, size_t open, NameAddr& out) {
  const size_t close = text.find('>', open);
  if (close == npos) return false;
  out.has_angle_brackets = true;
  out.uri_text = trim_lws(text.substr(open + 1, close - open - 1));
  return take_params(text.substr(close + 1), out);
}

bool parse_quoted_display_form(std::string_view text, NameAddr& out) {
  const size_t quote = closing_quote(text);
  if (quote == npos) return false;
  out.display = text.substr(1, quote - 1);
  size_t open = quote + 1;
  while (open < text.size() && is_lws(text[open])) ++open;
  if (open >= text.size() || text[open] != '<') return false;
  return parse_bracketed(text, open, out);
}

bool parse_addr_spec_form(std::string_view text, NameAddr& out) {
  const size_t semicolon = text.find(';');
  out.uri_text = trim_lws(text.substr(0, semicolon));
  return semicolon == npos || take_params(text.substr(semicolon), out);
}

}  // namespace

bool parse_name_addr(std::string_view text, NameAddr& out) {
  out = NameAddr{};
  text = trim_lws(text);
  if (text.empty()) return false;
  bool shaped = false;
  if (text.front() == '"') {
    shaped = parse_quoted_display_form(text, out);
  } else if (const size_t open = text.find('<'); open != npos) {
    out.display = trim_lws(text.substr(0, open));
    shaped = is_plausible_bare_display(out.display) && parse_bracketed(text, open, out);
  } else {
    shaped = parse_addr_spec_form(text, out);
  }
  return shaped && parse_uri(out.uri_text, out.uri);
}

std::string_view header_param(std::string_view params, std::string_view name, bool* present) {
  return find_param(params, name, present);
}

bool next_header_value(std::string_view& rest, std::string_view& value) {
  while (!rest.empty()) {
    bool in_quotes = false;
    bool in_angle = false;
    size_t end = 0;
    for (; end < rest.size(); ++end) {
      const char c = rest[end];
      if (in_quotes) {
        if (c == '\\') {
          ++end;
        } else if (c == '"') {
          in_quotes = false;
        }
      } else if (c == '"') {
        in_quotes = true;
      } else if (c == '<') {
        in_angle = true;
      } else if (c == '>') {
        in_angle = false;
      } else if (c == ',' && !in_angle) {
        break;
      }
    }
    end = end < rest.size() ? end : rest.size();  // a trailing '\' may overshoot
    value = trim_lws(rest.substr(0, end));
    rest.remove_prefix(end < rest.size() ? end + 1 : end);
    if (!value.empty()) return true;
  }
  return false;
}

std::string_view tag_of(std::string_view from_or_to) {
  NameAddr party;
  if (!parse_name_addr(from_or_to, party)) return {};
  return header_param(party.params, "tag");
}

}  // namespace sbc::sip

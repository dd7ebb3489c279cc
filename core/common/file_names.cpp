// SPDX-License-Identifier: Apache-2.0
#include "core/common/file_names.h"

#include <cstdint>

namespace camlabel {
namespace {

/// The length of the well-formed UTF-8 character at text[i], or 0.
std::size_t utf8Length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
    cp = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    cp = b0 & 0x0Fu;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    cp = b0 & 0x07u;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0u) != 0x80u) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3Fu);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return n;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

bool isUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8Length(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string displayName(std::string_view raw) {
  if (isUtf8(raw)) return std::string(raw);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string shown;
  for (std::size_t i = 0; i < raw.size();) {
    const std::size_t n = utf8Length(raw, i);
    if (n == 0 || raw[i] == '%') {
      const auto b = static_cast<unsigned char>(raw[i]);
      shown += '%';
      shown += kHex[b >> 4];
      shown += kHex[b & 0x0F];
      ++i;
    } else {
      shown.append(raw.substr(i, n));
      i += n;
    }
  }
  return shown;
}

std::optional<std::string> rawName(std::string_view display) {
  std::string raw;
  bool escaped = false;
  for (std::size_t i = 0; i < display.size(); ++i) {
    if (display[i] == '%' && i + 2 < display.size()) {
      const int hi = hexValue(display[i + 1]);
      const int lo = hexValue(display[i + 2]);
      if (hi >= 0 && lo >= 0) {
        raw += static_cast<char>(hi * 16 + lo);
        i += 2;
        escaped = true;
        continue;
      }
    }
    raw += display[i];
  }
  if (!escaped) return std::nullopt;
  return raw;
}

}  // namespace camlabel

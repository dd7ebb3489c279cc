#include "core/imaging/dicom_nesting.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <dcmtk/dcmdata/dctag.h>
#include <zlib.h>

#include "core/common/error.h"

namespace camlabel::imaging::detail {
namespace {

constexpr std::uint32_t kUndefined = 0xFFFFFFFF;
constexpr std::uint64_t kNoEnd = std::numeric_limits<std::uint64_t>::max();

/// The inflated bytes of a deflated data set (transfer syntax 1.2.840.10008.1.2.1.99: raw
/// deflate after the file meta group), read forwards only and never held whole, so that neither
/// a large file nor a small one that inflates hugely takes memory; more than kMaxInflated bytes
/// is refused.
class Inflater {
 public:
  static constexpr std::uint64_t kMaxInflated = std::uint64_t{4} << 30;

  Inflater(std::ifstream& file, std::uint64_t start, const std::filesystem::path& path)
      : file_(file), path_(path) {
    file_.clear();
    file_.seekg(static_cast<std::streamoff>(start));
    ok_ = inflateInit2(&z_, -MAX_WBITS) == Z_OK;
  }
  ~Inflater() { inflateEnd(&z_); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  /// Moves to inflated offset pos (forwards only).
  bool seek(std::uint64_t pos) {
    if (pos < pos_) return false;
    std::array<char, 4096> discard{};
    while (pos_ < pos) {
      const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(discard.size(), pos - pos_));
      if (!read(discard.data(), n)) return false;
    }
    return true;
  }

  bool read(char* out, std::size_t n) {
    if (!ok_) return false;
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = static_cast<uInt>(n);
    while (z_.avail_out > 0) {
      if (z_.avail_in == 0) {
        file_.read(input_.data(), static_cast<std::streamsize>(input_.size()));
        const auto got = static_cast<uInt>(file_.gcount());
        if (got == 0) return ok_ = false;
        z_.next_in = reinterpret_cast<Bytef*>(input_.data());
        z_.avail_in = got;
      }
      const int r = inflate(&z_, Z_NO_FLUSH);
      if (r == Z_STREAM_END && z_.avail_out > 0) return ok_ = false;
      if (r != Z_OK && r != Z_STREAM_END) return ok_ = false;  // damaged: DCMTK will judge
      if (r == Z_STREAM_END) break;
    }
    pos_ += n;
    if (pos_ > kMaxInflated)
      throw InputError(path_.string(),
                       "its deflated data set inflates to more than 4 GiB: not read");
    return true;
  }

 private:
  std::ifstream& file_;
  std::filesystem::path path_;
  z_stream z_{};
  std::array<char, 16384> input_{};
  std::uint64_t pos_ = 0;
  bool ok_ = false;
};

/// A value of a deflated data set longer than this must lie within the inflated stream.
constexpr std::uint64_t kLargeDeflatedValue = std::uint64_t{64} << 20;

/// What the walk is inside of.
struct Container {
  enum Kind { kSequence, kItem, kFragments } kind;
  std::uint64_t end;  ///< kNoEnd: undefined length, closed by a delimiter
  bool explicitVr;    ///< how the elements inside are encoded
};

class Walker {
 public:
  Walker(const std::filesystem::path& path, int maxDepth)
      : path_(path), in_(path, std::ios::binary), maxDepth_(maxDepth) {
    in_.seekg(0, std::ios::end);
    size_ = in_ ? static_cast<std::uint64_t>(in_.tellg()) : 0;
    in_.seekg(0);
  }

  void run() {
    if (!in_ || size_ < 8) return;
    std::uint64_t start = 0;
    bool explicitVr = true;
    std::array<char, 4> magic{};
    if (size_ >= 132 && seek(128) && read(magic.data(), 4) &&
        std::string_view(magic.data(), 4) == "DICM") {
      start = 132;
      const auto syntax = metaTransferSyntax(start);
      if (!syntax) return;
      if (*syntax == "1.2.840.10008.1.2.1.99") {
        // Deflated explicit VR little endian: walk the inflated stream.
        inflater_.emplace(in_, start, path_);
        size_ = kNoEnd;
        walk(0, true);
        return;
      }
      if (*syntax == "1.2.840.10008.1.2.2") bigEndian_ = true;
      explicitVr = *syntax != "1.2.840.10008.1.2";
    } else {
      // No preamble: a bare data set, as DCMTK's auto-detection reads it (little endian).
      std::array<char, 6> head{};
      if (!seek(0) || !read(head.data(), 6)) return;
      explicitVr = isVr(head[4], head[5]);
    }
    walk(start, explicitVr);
  }

 private:
  bool seek(std::uint64_t pos) {
    if (inflater_) return inflater_->seek(pos);
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(pos));
    return static_cast<bool>(in_);
  }
  bool read(char* out, std::size_t n) {
    if (inflater_) return inflater_->read(out, n);
    in_.read(out, static_cast<std::streamsize>(n));
    return static_cast<std::size_t>(in_.gcount()) == n;
  }
  std::uint16_t u16(const unsigned char* b, bool big) const {
    return big ? static_cast<std::uint16_t>(b[0] << 8 | b[1])
               : static_cast<std::uint16_t>(b[1] << 8 | b[0]);
  }
  std::uint32_t u32(const unsigned char* b, bool big) const {
    return big ? (std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 |
                  b[3])
               : (std::uint32_t{b[3]} << 24 | std::uint32_t{b[2]} << 16 | std::uint32_t{b[1]} << 8 |
                  b[0]);
  }
  static bool isVr(char a, char b) { return a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z'; }
  static bool hasLongLength(std::string_view vr) {
    // The VRs with a 2-byte length; any other, an unknown one included, has 2 reserved bytes and
    // a 4-byte length, as DCMTK reads an unknown VR like UN.
    static constexpr std::array<std::string_view, 21> kShort{
        "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO",
        "LT", "PN", "SH", "SL", "SS", "ST", "TM", "UI", "UL", "US"};
    for (const auto v : kShort)
      if (v == vr) return false;
    return true;
  }

  /// The transfer syntax UID of the file meta group (explicit VR little endian), and where the
  /// data set starts (in start).
  std::optional<std::string> metaTransferSyntax(std::uint64_t& pos) {
    std::optional<std::string> syntax;
    for (;;) {
      unsigned char h[12];
      if (!seek(pos) || !read(reinterpret_cast<char*>(h), 8)) return syntax;
      if (u16(h, false) != 0x0002) return syntax;
      const std::string_view vr(reinterpret_cast<const char*>(h + 4), 2);
      std::uint64_t length = u16(h + 6, false);
      std::uint64_t header = 8;
      if (hasLongLength(vr)) {
        if (!read(reinterpret_cast<char*>(h + 8), 4)) return std::nullopt;
        length = u32(h + 8, false);
        header = 12;
      }
      if (length == kUndefined || pos + header + length > size_) return std::nullopt;
      if (u16(h + 2, false) == 0x0010 && length < 128) {
        std::string value(length, '\0');
        if (!read(value.data(), length)) return std::nullopt;
        while (!value.empty() && (value.back() == '\0' || value.back() == ' '))
          value.pop_back();
        syntax = value;
      }
      pos += header + length;
    }
  }

  int sequenceDepth() const {
    int depth = 0;
    for (const Container& c : stack_)
      depth += c.kind == Container::kSequence ? 1 : 0;
    return depth;
  }

  void push(Container c) {
    stack_.push_back(c);
    // Items and fragments sit inside sequences: the stack is at most twice the depth.
    if (sequenceDepth() > maxDepth_ || stack_.size() > 2 * static_cast<std::size_t>(maxDepth_) + 2)
      throw InputError(path_.string(), "its data set nests sequences more than " +
                                           std::to_string(maxDepth_) +
                                           " deep, which no image needs: not read");
  }

  /// DCMTK cannot leave a value of a deflated stream on disk: it allocates the declared length
  /// first (a few crafted bytes claiming 4 GB ran the fuzzer out of memory). A large value that
  /// ends at `end`, past the end of the stream, is refused; a small one is left to DCMTK's words.
  void refuseBeyondDeflatedStream(std::uint64_t end, std::uint64_t length) {
    if (!inflater_ || length <= kLargeDeflatedValue || seek(end)) return;
    throw InputError(path_.string(), "its deflated data set ends inside a value that claims " +
                                         std::to_string(length) + " bytes: not read");
  }

  void walk(std::uint64_t pos, bool explicitVr) {
    for (;;) {
      while (!stack_.empty() && stack_.back().end != kNoEnd && pos >= stack_.back().end)
        stack_.pop_back();
      if (size_ != kNoEnd && pos + 8 > size_) return;
      const bool big = bigEndian_;
      const bool explicitHere = stack_.empty() ? explicitVr : stack_.back().explicitVr;
      const bool inFragments = !stack_.empty() && stack_.back().kind == Container::kFragments;
      unsigned char h[12];
      if (!seek(pos) || !read(reinterpret_cast<char*>(h), 8)) return;
      const std::uint16_t group = u16(h, big);
      const std::uint16_t element = u16(h + 2, big);
      if (group == 0xFFFE) {  // item, item delimiter, sequence delimiter: always 4-byte length
        const std::uint32_t length = u32(h + 4, big);
        pos += 8;
        if (element == 0xE000) {
          if (inFragments) {
            if (length == kUndefined) return;  // DCMTK will refuse it
            pos += length;
          } else {
            push({Container::kItem, length == kUndefined ? kNoEnd : pos + length, explicitHere});
          }
        } else if (element == 0xE00D) {
          if (!stack_.empty() && stack_.back().kind == Container::kItem) stack_.pop_back();
        } else if (element == 0xE0DD) {
          if (!stack_.empty() && stack_.back().kind != Container::kItem) stack_.pop_back();
        }
        continue;
      }
      std::uint64_t length = 0;
      std::uint64_t header = 8;
      bool sequence = false;
      bool fragments = false;
      bool implicitInside = !explicitHere;
      if (explicitHere) {
        const std::string_view vr(reinterpret_cast<const char*>(h + 4), 2);
        if (!isVr(h[4], h[5])) {
          // Not a VR: DCMTK reads on as if it were UN, a 4-byte length after 2 reserved bytes,
          // and in a deflated stream allocates that length (fuzz_image: 4 GB claimed in 13 KB).
          if (inflater_ && read(reinterpret_cast<char*>(h + 8), 4)) {
            const std::uint32_t claimed = u32(h + 8, big);
            if (claimed != kUndefined) refuseBeyondDeflatedStream(pos + 12 + claimed, claimed);
          }
          return;  // the walk stops here; DCMTK judges the rest
        }
        if (hasLongLength(vr)) {
          if (!read(reinterpret_cast<char*>(h + 8), 4)) return;
          length = u32(h + 8, big);
          header = 12;
        } else {
          length = u16(h + 6, big);
        }
        sequence = vr == "SQ";
        if (length == kUndefined && vr == "UN") {
          sequence = true;  // CP-246: an undefined-length UN holds a sequence in implicit VR
          implicitInside = true;
        }
        fragments = length == kUndefined && (vr == "OB" || vr == "OW");
      } else {
        length = u32(h + 4, big);
        sequence = length == kUndefined || DcmTag(group, element).getEVR() == EVR_SQ;
      }
      pos += header;
      if (sequence) {
        push({Container::kSequence, length == kUndefined ? kNoEnd : pos + length, !implicitInside});
      } else if (fragments) {
        push({Container::kFragments, kNoEnd, explicitHere});
      } else if (length == kUndefined) {
        return;  // a value of undefined length that is neither: DCMTK will refuse it
      } else {
        pos += length;
        refuseBeyondDeflatedStream(pos, length);
      }
    }
  }

  std::filesystem::path path_;
  std::ifstream in_;
  int maxDepth_;
  std::uint64_t size_ = 0;
  bool bigEndian_ = false;
  std::optional<Inflater> inflater_;
  std::vector<Container> stack_;
};

}  // namespace

void checkSequenceNesting(const std::filesystem::path& path, int maxDepth) {
  Walker(path, maxDepth).run();
}

}  // namespace camlabel::imaging::detail

// SPDX-License-Identifier: Apache-2.0
#include "core/imaging/dicom_nesting.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcistrmf.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcstack.h>
#include <dcmtk/dcmdata/dctag.h>
#include <unistd.h>
#include <zlib.h>

#include "core/common/error.h"

namespace camlabel::imaging::detail {
namespace {

constexpr std::uint32_t kUndefined = 0xFFFFFFFF;
constexpr std::uint64_t kNoEnd = std::numeric_limits<std::uint64_t>::max();

/// The inflated bytes of a deflated data set (transfer syntax 1.2.840.10008.1.2.1.99: raw
/// deflate after the file meta group), read forwards in pieces, never held whole.
class Inflater {
 public:
  Inflater(std::ifstream& file, std::uint64_t start) : file_(file) {
    file_.clear();
    file_.seekg(static_cast<std::streamoff>(start));
    ok_ = static_cast<bool>(file_) && inflateInit2(&z_, -MAX_WBITS) == Z_OK;
  }
  ~Inflater() { inflateEnd(&z_); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  enum class End { kMore, kStreamEnd, kFileEnd, kDamaged };

  /// Inflates up to out.size() bytes into out; `got` says how many. kMore: more may follow.
  End read(std::span<char> out, std::size_t& got) {
    got = 0;
    if (!ok_) return End::kDamaged;
    z_.next_out = reinterpret_cast<Bytef*>(out.data());
    z_.avail_out = static_cast<uInt>(out.size());
    End end = End::kMore;
    while (z_.avail_out > 0) {
      if (z_.avail_in == 0) {
        file_.read(input_.data(), static_cast<std::streamsize>(input_.size()));
        const auto n = static_cast<uInt>(file_.gcount());
        if (n == 0) {
          end = End::kFileEnd;
          break;
        }
        z_.next_in = reinterpret_cast<Bytef*>(input_.data());
        z_.avail_in = n;
      }
      const int r = inflate(&z_, Z_NO_FLUSH);
      if (r == Z_STREAM_END) {
        end = End::kStreamEnd;
        break;
      }
      if (r != Z_OK && r != Z_BUF_ERROR) {
        end = End::kDamaged;
        break;
      }
    }
    got = out.size() - z_.avail_out;
    return end;
  }

 private:
  std::ifstream& file_;
  z_stream z_{};
  std::array<char, 16384> input_{};
  bool ok_ = false;
};

std::uint16_t u16(const unsigned char* b, bool big) {
  return big ? static_cast<std::uint16_t>(b[0] << 8 | b[1])
             : static_cast<std::uint16_t>(b[1] << 8 | b[0]);
}
std::uint32_t u32(const unsigned char* b, bool big) {
  return big ? (std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 |
                b[3])
             : (std::uint32_t{b[3]} << 24 | std::uint32_t{b[2]} << 16 | std::uint32_t{b[1]} << 8 |
                b[0]);
}
bool isVr(char a, char b) {
  return a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z';
}
bool hasLongLength(std::string_view vr) {
  // The VRs with a 2-byte length; any other, an unknown one included, has 2 reserved bytes and
  // a 4-byte length, as DCMTK reads an unknown VR like UN.
  static constexpr std::array<std::string_view, 21> kShort{
      "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO",
      "LT", "PN", "SH", "SL", "SS", "ST", "TM", "UI", "UL", "US"};
  return std::find(kShort.begin(), kShort.end(), vr) == kShort.end();
}

std::uint64_t fileSize(std::ifstream& in) {
  in.clear();
  in.seekg(0, std::ios::end);
  const auto size = in ? static_cast<std::uint64_t>(in.tellg()) : 0;
  in.seekg(0);
  return size;
}

/// Where a file's data set starts and the transfer syntax its file meta group names, exactly as
/// DCMTK's DcmFileFormat finds them (its own meta group reader: a hand-written one stopped at a
/// stray element that DCMTK reads past, and missed the deflated syntax named after it).
struct MetaGroup {
  bool readable = false;           ///< false: DCMTK refuses the file before its data set
  std::uint64_t dataSetStart = 0;  ///< 0 for a bare data set
  std::string transferSyntax;      ///< empty: none named (DCMTK guesses from the data set)
};
MetaGroup readMetaGroup(const std::filesystem::path& path) {
  MetaGroup group;
  DcmInputFileStream stream(path.c_str());
  if (stream.status().bad()) return group;
  DcmMetaInfo meta;
  meta.transferInit();
  const OFCondition read = meta.read(stream, EXS_Unknown, EGL_noChange, 1024);
  meta.transferEnd();
  group.readable = read.good();
  group.dataSetStart = static_cast<std::uint64_t>(stream.tell());
  // DCMTK reads a long value when it is first asked for, allocating the length it claims; its
  // own loadFile asks for the transfer syntax too. So nothing is asked for before the claims
  // are checked against the file.
  std::error_code ec;
  const std::uint64_t bytes = std::filesystem::file_size(path, ec);
  refuseValuesBeyond(meta, ec ? 0 : bytes, path);
  OFString uid;
  if (meta.findAndGetOFString(DCM_TransferSyntaxUID, uid).good())
    group.transferSyntax = uid.c_str();
  return group;
}

constexpr std::string_view kDeflatedSyntax = "1.2.840.10008.1.2.1.99";

/// What the walk is inside of.
struct Container {
  enum Kind { kSequence, kItem, kFragments } kind;
  std::uint64_t end;  ///< kNoEnd: undefined length, closed by a delimiter
  bool explicitVr;    ///< how the elements inside are encoded
};

class Walker {
 public:
  /// Walks `file`; refusals name `shown` (the user's file when `file` is its inflated copy).
  Walker(const std::filesystem::path& file, const std::filesystem::path& shown, int maxDepth)
      : path_(shown), in_(file, std::ios::binary), maxDepth_(maxDepth), size_(fileSize(in_)) {}

  /// A Part 10 file, or a bare data set, where DCMTK's reading of its meta group says.
  void run(const MetaGroup& meta) {
    if (!in_ || size_ < 8 || !meta.readable) return;
    if (!meta.transferSyntax.empty()) {
      bigEndian_ = meta.transferSyntax == "1.2.840.10008.1.2.2";
      walk(meta.dataSetStart, meta.transferSyntax != "1.2.840.10008.1.2");
      return;
    }
    // No syntax named: DCMTK guesses from the first element (little endian here).
    std::array<char, 6> head{};
    if (!seek(meta.dataSetStart) || !read(head.data(), 6)) return;
    walk(meta.dataSetStart, isVr(head[4], head[5]));
  }

  /// A bare data set in explicit VR little endian (an inflated copy).
  void runExplicit() {
    if (in_ && size_ >= 8) walk(0, true);
  }

 private:
  bool seek(std::uint64_t pos) {
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(pos));
    return static_cast<bool>(in_);
  }
  bool read(char* out, std::size_t n) {
    in_.read(out, static_cast<std::streamsize>(n));
    return static_cast<std::size_t>(in_.gcount()) == n;
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

  void walk(std::uint64_t pos, bool explicitVr) {
    for (;;) {
      while (!stack_.empty() && stack_.back().end != kNoEnd && pos >= stack_.back().end)
        stack_.pop_back();
      if (pos + 8 > size_) return;
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
        if (!isVr(h[4], h[5])) return;  // not a VR: the walk stops here; DCMTK judges the rest
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
      }
    }
  }

  std::filesystem::path path_;
  std::ifstream in_;
  int maxDepth_;
  std::uint64_t size_ = 0;
  bool bigEndian_ = false;
  std::vector<Container> stack_;
};

}  // namespace

void refuseValuesBeyond(DcmObject& root, std::uint64_t fileBytes,
                        const std::filesystem::path& shown) {
  DcmStack stack;
  while (root.nextObject(stack, OFTrue).good()) {
    DcmObject* object = stack.top();
    const Uint32 length = object->getLengthField();  // getLength() would load the value
    if (length == DCM_UndefinedLength || length <= fileBytes) continue;
    const DcmTag& tag = object->getTag();
    char name[16];
    std::snprintf(name, sizeof name, "(%04X,%04X)", tag.getGTag(), tag.getETag());
    throw InputError(shown.string(), std::string("its element ") + name + " claims " +
                                         std::to_string(length) + " bytes, more than the " +
                                         std::to_string(fileBytes) + " the file holds: not read");
  }
}

InflatedCopy::InflatedCopy(std::filesystem::path path) : path_(std::move(path)) {}

InflatedCopy::InflatedCopy(InflatedCopy&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

InflatedCopy& InflatedCopy::operator=(InflatedCopy&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

InflatedCopy::~InflatedCopy() {
  remove();
}

void InflatedCopy::remove() noexcept {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove(path_, ec);
  path_.clear();
}

namespace {

/// The inflated copy of a deflated data set starting at meta.dataSetStart. Throws InputError for
/// a damaged deflate stream or one inflating to more than maxBytes, Error when the temporary
/// file cannot be written. A stream that stops short gives a copy that does.
InflatedCopy inflateDataSet(const std::filesystem::path& path, const MetaGroup& meta,
                            std::uint64_t maxBytes) {
  std::ifstream in(path, std::ios::binary);

  // mkstemp: a name nobody else has, readable by this user only (the data set holds the
  // patient's identifiers, as the file it comes from does).
  std::string name = (std::filesystem::temp_directory_path() / "camlabel-inflated-XXXXXX").string();
  const int fd = ::mkstemp(name.data());
  if (fd < 0)
    throw Error("cannot inflate '" + path.string() + "': no temporary file (" +
                std::strerror(errno) + ")");
  InflatedCopy copy{std::filesystem::path(name)};
  struct FileDescriptor {
    int fd;
    ~FileDescriptor() { ::close(fd); }
  } const closeOnReturn{fd};

  Inflater inflater(in, meta.dataSetStart);
  std::array<char, 65536> buffer{};
  std::uint64_t total = 0;
  for (;;) {
    std::size_t got = 0;
    const Inflater::End end = inflater.read(buffer, got);
    total += got;
    if (total > maxBytes)
      throw InputError(path.string(), "its deflated data set inflates to more than " +
                                          std::to_string(maxBytes >> 20) + " MiB: not read");
    for (std::size_t done = 0; done < got;) {
      const ssize_t n = ::write(fd, buffer.data() + done, got - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0)
        throw Error("cannot inflate '" + path.string() + "' into " + name + ": " +
                    std::strerror(n < 0 ? errno : ENOSPC));
      done += static_cast<std::size_t>(n);
    }
    if (end == Inflater::End::kDamaged)
      throw InputError(path.string(),
                       "its deflated data set is damaged (not a valid deflate "
                       "stream): not read");
    // A stream that stops short leaves a copy that stops short: DCMTK calls it truncated.
    if (end != Inflater::End::kMore) break;
  }
  return copy;
}

}  // namespace

std::optional<InflatedCopy> prepareForDcmtk(const std::filesystem::path& path, int maxDepth,
                                            std::uint64_t maxInflatedBytes) {
  const MetaGroup meta = readMetaGroup(path);
  if (meta.readable && meta.transferSyntax == kDeflatedSyntax) {
    InflatedCopy copy = inflateDataSet(path, meta, maxInflatedBytes);
    Walker(copy.path(), path, maxDepth).runExplicit();
    return copy;
  }
  Walker(path, path, maxDepth).run(meta);
  return std::nullopt;
}

void checkSequenceNesting(const std::filesystem::path& path, int maxDepth) {
  prepareForDcmtk(path, maxDepth);
}

}  // namespace camlabel::imaging::detail

// SPDX-License-Identifier: Apache-2.0
#include "core/common/sha256.h"

#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include "core/common/error.h"

namespace camlabel {
namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

MdCtx startSha256() {
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    throw Error("SHA-256 is not available from OpenSSL.");
  return ctx;
}

std::string finish(EVP_MD_CTX* ctx) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx, digest, &length) != 1) throw Error("SHA-256 computation failed.");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 15]);
  }
  return hex;
}

}  // namespace

std::string sha256File(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), std::strerror(errno));
  MdCtx ctx = startSha256();
  // Not zero-filled: clearing 1 MiB took longer than hashing a small slice file.
  constexpr std::size_t kBlock = std::size_t{1} << 20;
  const auto buffer = std::make_unique_for_overwrite<char[]>(kBlock);
  while (in) {
    in.read(buffer.get(), static_cast<std::streamsize>(kBlock));
    const auto got = in.gcount();
    if (got > 0) EVP_DigestUpdate(ctx.get(), buffer.get(), static_cast<std::size_t>(got));
  }
  if (in.bad()) throw InputError(path.string(), "read error while computing its SHA-256");
  return finish(ctx.get());
}

struct Sha256::Context {
  MdCtx ctx = startSha256();
};

Sha256::Sha256() : context_(std::make_unique<Context>()) {}
Sha256::~Sha256() = default;

void Sha256::update(const void* data, std::size_t size) {
  EVP_DigestUpdate(context_->ctx.get(), data, size);
}

std::string Sha256::hexDigest() {
  return finish(context_->ctx.get());
}

std::string sha256Hex(std::string_view data) {
  MdCtx ctx = startSha256();
  EVP_DigestUpdate(ctx.get(), data.data(), data.size());
  return finish(ctx.get());
}

}  // namespace camlabel

package io.berth.os;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;

/**
 * OpenSSL's libcrypto digest calls (EVP), for {@link NativeDigests}. Bound through jnr-ffi, which
 * finds the versioned library (libcrypto.so.3) without the -dev symlink.
 */
public interface LibCrypto {
  Pointer EVP_MD_CTX_new();

  void EVP_MD_CTX_free(Pointer ctx);

  Pointer EVP_sha256();

  Pointer EVP_sha512();

  int EVP_DigestInit_ex(Pointer ctx, Pointer type, Pointer engine);

  int EVP_DigestUpdate(Pointer ctx, Pointer data, @size_t long count);

  int EVP_DigestFinal_ex(Pointer ctx, @Out byte[] md, Pointer size);

  int EVP_MD_CTX_copy_ex(Pointer out, Pointer in);

  static LibCrypto load() {
    return NativeBindings.libCrypto();
  }
}

package io.berth.os;

/**
 * The process's jnr-ffi bindings of libc and libcrypto, each made once, on first use. jnr-ffi
 * generates and loads a class of native call stubs for every {@code LibraryLoader.load} (tens of
 * milliseconds at start-up, and metaspace for good); a binding is immutable and thread safe, so
 * one per library serves every component.
 */
public final class NativeBindings {
  private NativeBindings() {}

  static LibC libc() {
    return LibcHolder.INSTANCE;
  }

  static FileCalls fileCalls() {
    return FileCallsHolder.INSTANCE;
  }

  /** Throws a LinkageError (every time) when libcrypto cannot be bound. */
  static LibCrypto libCrypto() {
    return LibCryptoHolder.INSTANCE;
  }

  private static final class LibcHolder {
    static final LibC INSTANCE = jnr.ffi.LibraryLoader.create(LibC.class).load("c");
  }

  private static final class FileCallsHolder {
    static final FileCalls INSTANCE = jnr.ffi.LibraryLoader.create(FileCalls.class).load("c");
  }

  private static final class LibCryptoHolder {
    static final LibCrypto INSTANCE = jnr.ffi.LibraryLoader.create(LibCrypto.class).load("crypto");
  }
}

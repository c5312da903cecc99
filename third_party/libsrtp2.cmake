# libsrtp2, built from Debian's source package with OpenSSL as its crypto engine.
# Debian's binary package is built against NSS, which cannot be linked into a static
# executable; built here with OpenSSL it also gets AES-NI and AES-GCM. The tarball is
# Debian bookworm's (libsrtp2 2.5.0-3), checked against the SHA-256 its signed .dsc lists.
# Offline: -DSBCC_LIBSRTP2_URL=/path/to/libsrtp2_2.5.0.orig.tar.gz
include(ExternalProject)

set(SBCC_LIBSRTP2_URL "http://deb.debian.org/debian/pool/main/libs/libsrtp2/libsrtp2_2.5.0.orig.tar.gz"
    CACHE STRING "libsrtp2 2.5.0 source tarball (URL or path)")
set(LIBSRTP2_PREFIX ${CMAKE_BINARY_DIR}/third_party/libsrtp2)
# The archive goes next to libsbcrt.a: sbcc links every sbc against that directory.
set(LIBSRTP2_ARCHIVE ${CMAKE_ARCHIVE_OUTPUT_DIRECTORY}/libsrtp2.a)
set(LIBSRTP2_LAUNCHER)
if(CCACHE_PROGRAM)
  set(LIBSRTP2_LAUNCHER -DCMAKE_C_COMPILER_LAUNCHER=${CCACHE_PROGRAM})
endif()

ExternalProject_Add(libsrtp2_build
  URL ${SBCC_LIBSRTP2_URL}
  URL_HASH SHA256=8a43ef8e9ae2b665292591af62aa1a4ae41e468b6d98d8258f91478735da4e09
  DOWNLOAD_DIR ${CMAKE_BINARY_DIR}/third_party/downloads
  DOWNLOAD_EXTRACT_TIMESTAMP TRUE
  PREFIX ${LIBSRTP2_PREFIX}
  # With OpenSSL 3, libsrtp re-initialises an EVP_MAC for every packet's HMAC, which
  # costs more than the encryption; the HMAC_CTX path it uses with OpenSSL 1.1 keeps the
  # keyed state and copies it. Same digest, a third of the CPU per SRTP packet.
  PATCH_COMMAND sed -i "s|^#define SRTP_OSSL_USE_EVP_MAC$|/* sbcc: HMAC_CTX path */|" crypto/hash/hmac_ossl.c
  CMAKE_ARGS
    -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_C_COMPILER=${CMAKE_C_COMPILER}
    ${LIBSRTP2_LAUNCHER}
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON
    -DCMAKE_C_FLAGS=-Wno-deprecated-declarations
    -DBUILD_SHARED_LIBS=OFF
    -DENABLE_OPENSSL=ON
    -DTEST_APPS=OFF
    -DCMAKE_INSTALL_PREFIX=${LIBSRTP2_PREFIX}
  # libsrtp installs into PREFIX/lib whatever it is told; the copy is what sbcc links.
  INSTALL_COMMAND ${CMAKE_COMMAND} --build <BINARY_DIR> --target install
    COMMAND ${CMAKE_COMMAND} -E copy ${LIBSRTP2_PREFIX}/lib/libsrtp2.a ${LIBSRTP2_ARCHIVE}
  BUILD_BYPRODUCTS ${LIBSRTP2_ARCHIVE}
)

file(MAKE_DIRECTORY ${LIBSRTP2_PREFIX}/include)
add_library(srtp2 STATIC IMPORTED GLOBAL)
set_target_properties(srtp2 PROPERTIES
  IMPORTED_LOCATION ${LIBSRTP2_ARCHIVE}
  INTERFACE_INCLUDE_DIRECTORIES ${LIBSRTP2_PREFIX}/include
  INTERFACE_LINK_LIBRARIES "OpenSSL::Crypto")
add_dependencies(srtp2 libsrtp2_build)

#ifndef INFRA_GUARDIAN_LAZY_LIBRARIES_H
#define INFRA_GUARDIAN_LAZY_LIBRARIES_H

#include <stddef.h>

/// libpq, hiredis and cmark-gfm are opened the first time they are needed, not when the program
/// starts: `lint` uses none of them, and loading libpq alone maps OpenSSL, Kerberos and LDAP.
/// Each call returns 1 when the library is loaded (loading it if needed), else 0 with the reason
/// in `error`. The functions this project calls from the three libraries are defined in
/// lazy_libraries.c: each forwards to the library, loading it first.
int ig_load_libpq(char *error, size_t size);
int ig_load_hiredis(char *error, size_t size);
int ig_load_cmark(char *error, size_t size);

#endif

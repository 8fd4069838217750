// The functions of libpq, hiredis and cmark-gfm this project calls, each forwarding to the library,
// which is opened with dlopen the first time one of them runs (see include/lazy_libraries.h).
// The definitions repeat the headers' prototypes, so the compiler checks that they match.
#include "lazy_libraries.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <postgresql/libpq-fe.h>
#include <hiredis/hiredis.h>
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm_version.h>

#define IG_STRING(x) #x
#define IG_XSTRING(x) IG_STRING(x)

typedef struct {
    const char *const names[4];  // the soname the headers belong to first, then the -dev symlink
    const char *package;         // the Debian package that has it
    pthread_once_t once;
    void *handle;
    char error[512];
} Library;

#ifdef __APPLE__
#define IG_NAMES(soname, link, dylib) {soname, link, dylib, NULL}
#else
#define IG_NAMES(soname, link, dylib) {soname, link, NULL, NULL}
#endif

static Library libpq = {IG_NAMES("libpq.so.5", "libpq.so", "libpq.5.dylib"), "libpq5", PTHREAD_ONCE_INIT, NULL, ""};
static Library hiredis = {IG_NAMES("libhiredis.so." IG_XSTRING(HIREDIS_SONAME), "libhiredis.so", "libhiredis.dylib"),
                          "libhiredis" IG_XSTRING(HIREDIS_SONAME), PTHREAD_ONCE_INIT, NULL, ""};
// The extensions library pulls in cmark-gfm itself; symbols of both are found through it.
static Library cmark = {IG_NAMES("libcmark-gfm-extensions.so." CMARK_GFM_VERSION_STRING, "libcmark-gfm-extensions.so",
                                 "libcmark-gfm-extensions.dylib"),
                        "libcmark-gfm-extensions" CMARK_GFM_VERSION_STRING, PTHREAD_ONCE_INIT, NULL, ""};

static void open_library(Library *library) {
    for (int index = 0; library->names[index] != NULL && library->handle == NULL; index++) {
        library->handle = dlopen(library->names[index], RTLD_NOW | RTLD_LOCAL);
    }
    if (library->handle == NULL) {
        const char *reason = dlerror();
        snprintf(library->error, sizeof library->error, "cannot load %s (install the Debian package %s): %s",
                 library->names[0], library->package, reason ? reason : "not found");
    }
}

static void open_libpq(void) { open_library(&libpq); }
static void open_hiredis(void) { open_library(&hiredis); }
static void open_cmark(void) { open_library(&cmark); }

static int load(Library *library, void (*opener)(void), char *error, size_t size) {
    pthread_once(&library->once, opener);
    if (library->handle == NULL && error != NULL && size > 0) {
        snprintf(error, size, "%s", library->error);
    }
    return library->handle != NULL;
}

int ig_load_libpq(char *error, size_t size) { return load(&libpq, open_libpq, error, size); }
int ig_load_hiredis(char *error, size_t size) { return load(&hiredis, open_hiredis, error, size); }
int ig_load_cmark(char *error, size_t size) { return load(&cmark, open_cmark, error, size); }

/// The library's definition of `name`. Callers check with ig_load_* first and report a missing
/// library as an error; a call without that check ends the program with the reason.
static void *symbol(Library *library, void (*opener)(void), const char *name) {
    if (!load(library, opener, NULL, 0)) {
        fprintf(stderr, "infra-guardian: %s\n", library->error);
        exit(2);
    }
    void *address = dlsym(library->handle, name);
    if (address == NULL) {
        fprintf(stderr, "infra-guardian: %s has no %s (version mismatch?)\n", library->names[0], name);
        exit(2);
    }
    return address;
}

/// `name` of `library`, looked up once and kept in `cache` (a benign race: every thread finds the
/// same address).
static void *resolve(Library *library, void (*opener)(void), const char *name, void **cache) {
    void *found = __atomic_load_n(cache, __ATOMIC_ACQUIRE);
    if (found == NULL) {
        found = symbol(library, opener, name);
        __atomic_store_n(cache, found, __ATOMIC_RELEASE);
    }
    return found;
}

// One forwarding definition per function, with the header's parameters.
#define FORWARD(lib, ret, name, params, args)                                                           \
    ret name params {                                                                                   \
        static void *cache;                                                                             \
        return ((__typeof__(&name))resolve(&lib, open_##lib, #name, &cache)) args;                      \
    }
#define FORWARD_VOID(lib, name, params, args)                                                           \
    void name params {                                                                                  \
        static void *cache;                                                                             \
        ((__typeof__(&name))resolve(&lib, open_##lib, #name, &cache)) args;                             \
    }

// libpq
FORWARD(libpq, PGconn *, PQconnectdbParams, (const char *const *keywords, const char *const *values, int expand_dbname),
        (keywords, values, expand_dbname))
FORWARD(libpq, PGconn *, PQconnectdb, (const char *conninfo), (conninfo))
FORWARD(libpq, ConnStatusType, PQstatus, (const PGconn *conn), (conn))
FORWARD(libpq, char *, PQerrorMessage, (const PGconn *conn), (conn))
FORWARD_VOID(libpq, PQfinish, (PGconn *conn), (conn))
FORWARD(libpq, PGresult *, PQexec, (PGconn *conn, const char *query), (conn, query))
FORWARD(libpq, PGresult *, PQexecParams,
        (PGconn *conn, const char *command, int nParams, const Oid *paramTypes, const char *const *paramValues,
         const int *paramLengths, const int *paramFormats, int resultFormat),
        (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat))
FORWARD(libpq, PGresult *, PQprepare,
        (PGconn *conn, const char *stmtName, const char *query, int nParams, const Oid *paramTypes),
        (conn, stmtName, query, nParams, paramTypes))
FORWARD(libpq, PGresult *, PQdescribePrepared, (PGconn *conn, const char *stmt), (conn, stmt))
FORWARD(libpq, ExecStatusType, PQresultStatus, (const PGresult *res), (res))
FORWARD(libpq, char *, PQresultErrorMessage, (const PGresult *res), (res))
FORWARD(libpq, char *, PQresultErrorField, (const PGresult *res, int fieldcode), (res, fieldcode))
FORWARD(libpq, int, PQntuples, (const PGresult *res), (res))
FORWARD(libpq, int, PQnfields, (const PGresult *res), (res))
FORWARD(libpq, int, PQnparams, (const PGresult *res), (res))
FORWARD(libpq, char *, PQgetvalue, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
FORWARD(libpq, int, PQgetisnull, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
FORWARD_VOID(libpq, PQclear, (PGresult *res), (res))
FORWARD_VOID(libpq, PQfreemem, (void *ptr), (ptr))
FORWARD(libpq, PQconninfoOption *, PQconninfoParse, (const char *conninfo, char **errmsg), (conninfo, errmsg))
FORWARD_VOID(libpq, PQconninfoFree, (PQconninfoOption *connOptions), (connOptions))

// hiredis
FORWARD(hiredis, redisContext *, redisConnectWithTimeout, (const char *ip, int port, const struct timeval tv),
        (ip, port, tv))
FORWARD(hiredis, redisContext *, redisConnectUnixWithTimeout, (const char *path, const struct timeval tv), (path, tv))
FORWARD(hiredis, int, redisSetTimeout, (redisContext *c, const struct timeval tv), (c, tv))
FORWARD(hiredis, void *, redisCommandArgv, (redisContext *c, int argc, const char **argv, const size_t *argvlen),
        (c, argc, argv, argvlen))
FORWARD_VOID(hiredis, freeReplyObject, (void *reply), (reply))
FORWARD_VOID(hiredis, redisFree, (redisContext *c), (c))

// cmark-gfm and its extensions
FORWARD_VOID(cmark, cmark_gfm_core_extensions_ensure_registered, (void), ())
FORWARD(cmark, cmark_syntax_extension *, cmark_find_syntax_extension, (const char *name), (name))
FORWARD(cmark, cmark_parser *, cmark_parser_new, (int options), (options))
FORWARD(cmark, int, cmark_parser_attach_syntax_extension, (cmark_parser *parser, cmark_syntax_extension *extension),
        (parser, extension))
FORWARD_VOID(cmark, cmark_parser_feed, (cmark_parser *parser, const char *buffer, size_t len), (parser, buffer, len))
FORWARD(cmark, cmark_node *, cmark_parser_finish, (cmark_parser *parser), (parser))
FORWARD_VOID(cmark, cmark_parser_free, (cmark_parser *parser), (parser))
FORWARD(cmark, cmark_llist *, cmark_parser_get_syntax_extensions, (cmark_parser *parser), (parser))
FORWARD(cmark, char *, cmark_render_html, (cmark_node *root, int options, cmark_llist *extensions),
        (root, options, extensions))
FORWARD_VOID(cmark, cmark_node_free, (cmark_node *node), (node))

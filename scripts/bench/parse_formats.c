/* What each route of issue 10 costs libpg_query itself: the same statements parsed to JSON
 * (route b, the tape) and to protobuf (route a, swift-protobuf), then, for protobuf, unpacked into
 * protobuf-c's C structs (the lower bound of a full decode into generated types; swift-protobuf
 * decodes into Swift objects, which costs more). Reads the files named on the command line,
 * parses each 5 times per format, prints CPU seconds and output bytes. scripts/bench/parse-formats
 * builds and runs it on the benchmark corpus. */
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static char *slurp(const char *path) {
    FILE *file = fopen(path, "rb");
    if (!file) return NULL;
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    rewind(file);
    char *text = malloc(size + 1);
    size_t read = fread(text, 1, size, file);
    text[read] = 0;
    fclose(file);
    return text;
}

int main(int argc, char **argv) {
    const int rounds = 5;
    double json = 0, protobuf = 0, unpack = 0;
    unsigned long jsonBytes = 0, protobufBytes = 0;
    for (int i = 1; i < argc; i++) {
        char *sql = slurp(argv[i]);
        if (!sql) continue;
        for (int r = 0; r < rounds; r++) {
            double t0 = now();
            PgQueryParseResult a = pg_query_parse(sql);
            double t1 = now();
            PgQueryProtobufParseResult b = pg_query_parse_protobuf(sql);
            double t2 = now();
            PgQuery__ParseResult *tree = b.error ? NULL
                : pg_query__parse_result__unpack(NULL, b.parse_tree.len, (const uint8_t *)b.parse_tree.data);
            double t3 = now();
            json += t1 - t0; protobuf += t2 - t1; unpack += t3 - t2;
            if (r == 0) {
                jsonBytes += a.parse_tree ? strlen(a.parse_tree) : 0;
                protobufBytes += b.parse_tree.len;
            }
            if (tree) pg_query__parse_result__free_unpacked(tree, NULL);
            pg_query_free_parse_result(a);
            pg_query_free_protobuf_parse_result(b);
        }
        free(sql);
    }
    printf("files %d, %d rounds\n", argc - 1, rounds);
    printf("pg_query_parse (JSON):        %.3f s CPU, %lu bytes of output\n", json, jsonBytes);
    printf("pg_query_parse_protobuf:      %.3f s CPU, %lu bytes of output\n", protobuf, protobufBytes);
    printf("  + protobuf-c unpack:        %.3f s CPU\n", unpack);
    return 0;
}

/* The baseline of scripts/bench/probe-overhead: N round trips of one statement on bare libpq,
 * each timed like the probe runner times its runs (monotonic clock around PQexecParams, result
 * fetched then cleared), after one warm-up run that is not counted.
 *
 *   probe_overhead CONNINFO N [SQL]      prints: mean_us=... p50_us=... n=...
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int run_once(PGconn *conn, const char *sql, double *elapsed_us) {
    double start = now_us();
    PGresult *result = PQexecParams(conn, sql, 0, NULL, NULL, NULL, NULL, 0);
    *elapsed_us = now_us() - start;
    int ok = PQresultStatus(result) == PGRES_TUPLES_OK || PQresultStatus(result) == PGRES_COMMAND_OK;
    if (!ok) fprintf(stderr, "probe_overhead: %s", PQresultErrorMessage(result));
    PQclear(result);
    return ok;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: probe_overhead CONNINFO N [SQL]\n");
        return 2;
    }
    long n = strtol(argv[2], NULL, 10);
    const char *sql = argc > 3 ? argv[3] : "SELECT 1";
    if (n <= 0) return 2;
    PGconn *conn = PQconnectdb(argv[1]);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "probe_overhead: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return 1;
    }
    double *samples = malloc(sizeof(double) * n);
    double warmup, total = 0;
    if (samples == NULL || !run_once(conn, sql, &warmup)) return 1;
    for (long i = 0; i < n; i++) {
        if (!run_once(conn, sql, &samples[i])) return 1;
        total += samples[i];
    }
    qsort(samples, n, sizeof(double), compare);
    printf("mean_us=%.3f p50_us=%.3f n=%ld\n", total / n, samples[n / 2], n);
    free(samples);
    PQfinish(conn);
    return 0;
}

/* A bump allocator that a request owns: everything it hands out is freed at once by
 * arena_reset(), with registered destructors run first (last registered, first run). */
#ifndef LIB_ARENA_H
#define LIB_ARENA_H

#include <stddef.h>

struct arena_chunk;
struct arena_defer;

struct arena {
	struct arena_chunk *head;   /* current chunk; older ones follow */
	struct arena_defer *defers; /* destructors, newest first */
	size_t chunk_size;	    /* default size of a new chunk */
	size_t used;		    /* bytes handed out since the last reset */
	size_t max;		    /* ceiling for `used`; 0 = no ceiling */
};

/* Prepares an empty arena. Nothing is allocated until the first arena_alloc(). */
void arena_init(struct arena *a, size_t chunk_size, size_t max);

/* Returns n bytes aligned for any type, zeroed, or NULL when the ceiling would be
 * passed (the caller treats that as input too large). Aborts if malloc fails. */
void *arena_alloc(struct arena *a, size_t n);

/* Copies n bytes and appends a NUL; NULL over the ceiling. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* Runs fn(p) at the next reset. Returns 0, or -1 over the ceiling (fn is then run now). */
int arena_defer(struct arena *a, void (*fn)(void *), void *p);

/* Runs destructors, frees every chunk but the first, and makes the arena empty. */
void arena_reset(struct arena *a);

/* arena_reset() and frees the last chunk too. */
void arena_free(struct arena *a);

#endif

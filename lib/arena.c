/* Request-scoped bump allocator with a ceiling and deferred destructors. */
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
	struct arena_chunk *next;
	size_t size; /* usable bytes in data[] */
	size_t off;  /* next free byte */
	alignas(max_align_t) unsigned char data[];
};

struct arena_defer {
	struct arena_defer *next;
	void (*fn)(void *);
	void *p;
};

#define ALIGN (alignof(max_align_t))

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL) {
		fputs("arena: out of memory\n", stderr);
		abort();
	}
	return p;
}

void arena_init(struct arena *a, size_t chunk_size, size_t max)
{
	memset(a, 0, sizeof(*a));
	a->chunk_size = chunk_size < 256 ? 256 : chunk_size;
	a->max = max;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t need = (n + ALIGN - 1) & ~(ALIGN - 1);
	void *p;

	if (need < n)
		return NULL;
	if (a->max != 0 && (need > a->max || a->used > a->max - need))
		return NULL;
	if (c == NULL || c->size - c->off < need) {
		size_t size = need > a->chunk_size ? need : a->chunk_size;

		c = xmalloc(sizeof(*c) + size);
		c->size = size;
		c->off = 0;
		c->next = a->head;
		a->head = c;
	}
	p = c->data + c->off;
	c->off += need;
	a->used += need;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		return NULL;
	p = arena_alloc(a, n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int arena_defer(struct arena *a, void (*fn)(void *), void *p)
{
	struct arena_defer *d = arena_alloc(a, sizeof(*d));

	if (d == NULL) {
		fn(p);
		return -1;
	}
	d->fn = fn;
	d->p = p;
	d->next = a->defers;
	a->defers = d;
	return 0;
}

void arena_reset(struct arena *a)
{
	struct arena_chunk *c, *next;

	while (a->defers != NULL) {
		struct arena_defer *d = a->defers;

		a->defers = d->next;
		d->fn(d->p);
	}
	/* Keep the oldest chunk (the usual request fits in it); free the rest. */
	c = a->head;
	while (c != NULL && c->next != NULL) {
		next = c->next;
		free(c);
		c = next;
	}
	a->head = c;
	if (c != NULL)
		c->off = 0;
	a->used = 0;
}

void arena_free(struct arena *a)
{
	arena_reset(a);
	free(a->head);
	a->head = NULL;
}

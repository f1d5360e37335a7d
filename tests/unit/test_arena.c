/* Arena: alignment, zeroing, the ceiling, deferred destructors and reuse after reset. */
#include <criterion/criterion.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../lib/arena.h"

Test(arena, allocations_are_aligned_for_any_type)
{
	struct arena a;
	size_t sizes[] = {1, 3, 7, 8, 15, 16, 17, 33, 100, 1, 2};
	size_t i;

	arena_init(&a, 1024, 0);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		void *p = arena_alloc(&a, sizes[i]);

		cr_assert_not_null(p);
		cr_assert_eq((uintptr_t)p % alignof(max_align_t), 0, "allocation %zu unaligned", i);
	}
	arena_free(&a);
}

Test(arena, allocations_are_zeroed_even_after_reuse)
{
	struct arena a;
	unsigned char *p;
	size_t i;

	arena_init(&a, 512, 0);
	p = arena_alloc(&a, 300);
	memset(p, 0xab, 300);
	arena_reset(&a);
	/* The same chunk is handed out again: it must not show the old bytes. */
	p = arena_alloc(&a, 300);
	for (i = 0; i < 300; i++)
		cr_assert_eq(p[i], 0, "byte %zu not zeroed", i);
	arena_free(&a);
}

Test(arena, allocations_do_not_overlap)
{
	struct arena a;
	unsigned char *p[50];
	size_t i, j;

	arena_init(&a, 256, 0);
	for (i = 0; i < 50; i++) {
		p[i] = arena_alloc(&a, 40);
		memset(p[i], (int)i + 1, 40);
	}
	for (i = 0; i < 50; i++)
		for (j = 0; j < 40; j++)
			cr_assert_eq(p[i][j], i + 1);
	cr_assert_geq(a.used, 50 * 40);
	arena_free(&a);
}

Test(arena, ceiling_returns_null_instead_of_growing)
{
	struct arena a;

	arena_init(&a, 256, 1024);
	cr_assert_not_null(arena_alloc(&a, 1000));
	cr_assert_null(arena_alloc(&a, 100), "allocation past the ceiling succeeded");
	cr_assert_leq(a.used, 1024);
	cr_assert_null(arena_alloc(&a, 2000));
	cr_assert_null(arena_alloc(&a, SIZE_MAX));
	cr_assert_null(arena_strndup(&a, "x", SIZE_MAX));
	/* Small requests that still fit are served. */
	cr_assert_not_null(arena_alloc(&a, 16));
	arena_free(&a);
}

Test(arena, ceiling_counts_from_zero_again_after_reset)
{
	struct arena a;

	arena_init(&a, 256, 1024);
	cr_assert_not_null(arena_alloc(&a, 1024));
	cr_assert_null(arena_alloc(&a, 1));
	arena_reset(&a);
	cr_assert_eq(a.used, 0);
	cr_assert_not_null(arena_alloc(&a, 1024));
	arena_free(&a);
}

static int order[8];
static int norder;

static void record(void *p)
{
	order[norder++] = *(int *)p;
}

Test(arena, reset_runs_destructors_newest_first)
{
	static int ids[] = {1, 2, 3};
	struct arena a;

	norder = 0;
	arena_init(&a, 256, 0);
	cr_assert_eq(arena_defer(&a, record, &ids[0]), 0);
	cr_assert_eq(arena_defer(&a, record, &ids[1]), 0);
	cr_assert_eq(arena_defer(&a, record, &ids[2]), 0);
	cr_assert_eq(norder, 0, "a destructor ran before the reset");
	arena_reset(&a);
	cr_assert_eq(norder, 3);
	cr_assert_eq(order[0], 3);
	cr_assert_eq(order[1], 2);
	cr_assert_eq(order[2], 1);
	/* Destructors run once: a second reset has nothing left to run. */
	arena_reset(&a);
	cr_assert_eq(norder, 3);
	arena_free(&a);
}

Test(arena, defer_over_ceiling_runs_destructor_now)
{
	static int id = 9;
	struct arena a;

	norder = 0;
	arena_init(&a, 256, 256);
	cr_assert_not_null(arena_alloc(&a, 256));
	cr_assert_eq(arena_defer(&a, record, &id), -1);
	cr_assert_eq(norder, 1);
	cr_assert_eq(order[0], 9);
	arena_reset(&a);
	cr_assert_eq(norder, 1, "the refused destructor ran a second time");
	arena_free(&a);
}

Test(arena, free_runs_pending_destructors)
{
	static int id = 4;
	struct arena a;

	norder = 0;
	arena_init(&a, 256, 0);
	cr_assert_eq(arena_defer(&a, record, &id), 0);
	arena_free(&a);
	cr_assert_eq(norder, 1);
	cr_assert_eq(order[0], 4);
}

Test(arena, is_reusable_after_reset)
{
	struct arena a;
	char *s;
	int round;

	arena_init(&a, 256, 0);
	for (round = 0; round < 5; round++) {
		size_t i;

		/* Enough to need several chunks each round. */
		for (i = 0; i < 20; i++) {
			s = arena_alloc(&a, 100);
			cr_assert_not_null(s);
			memset(s, 'x', 100);
		}
		cr_assert_geq(a.used, 2000);
		arena_reset(&a);
		cr_assert_eq(a.used, 0);
		cr_assert_null(a.defers);
	}
	s = arena_strndup(&a, "still works", 11);
	cr_assert_str_eq(s, "still works");
	arena_free(&a);
}

Test(arena, allocation_larger_than_chunk_size_works)
{
	struct arena a;
	unsigned char *big, *small, *big2;
	size_t i;

	arena_init(&a, 256, 0);
	small = arena_alloc(&a, 10);
	big = arena_alloc(&a, 100000);
	cr_assert_not_null(big);
	for (i = 0; i < 100000; i++)
		cr_assert_eq(big[i], 0);
	memset(big, 0x5a, 100000);
	memset(small, 0x11, 10);
	big2 = arena_alloc(&a, 50000);
	cr_assert_not_null(big2);
	memset(big2, 0x22, 50000);
	cr_assert_eq(big[0], 0x5a);
	cr_assert_eq(big[99999], 0x5a);
	cr_assert_eq(small[9], 0x11);
	arena_reset(&a);
	big = arena_alloc(&a, 300000);
	cr_assert_not_null(big);
	big[299999] = 1;
	arena_free(&a);
}

Test(arena, strndup_copies_and_terminates)
{
	struct arena a;
	const char src[] = "hello, world";
	char *s;

	arena_init(&a, 256, 0);
	s = arena_strndup(&a, src, 5);
	cr_assert_str_eq(s, "hello");
	cr_assert_neq(s, src);
	s = arena_strndup(&a, src, 0);
	cr_assert_str_eq(s, "");
	/* Bytes after an embedded NUL are copied too: the length decides. */
	s = arena_strndup(&a, "a\0b", 3);
	cr_assert_eq(memcmp(s, "a\0b\0", 4), 0);
	arena_free(&a);
}

Test(arena, strndup_over_ceiling_returns_null)
{
	struct arena a;

	arena_init(&a, 256, 64);
	cr_assert_null(arena_strndup(&a,
				     "0123456789012345678901234567890123456789"
				     "0123456789012345678901234567890123456789",
				     80));
	cr_assert_not_null(arena_strndup(&a, "short", 5));
	arena_free(&a);
}

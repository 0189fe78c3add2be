/*
 * coro.c - run a function on a separate, reusable stack with ucontext.
 */
#include "coro.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__has_include)
#  if __has_include(<valgrind/valgrind.h>)
#    include <valgrind/valgrind.h>
#    define HAVE_VALGRIND_H 1
#  endif
#endif

/* the coroutine running on this thread, read by the entry trampoline */
static __thread struct coro *current_coro;

static size_t page_size(void)
{
    long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? (size_t) p : 4096;
}

int coro_create(struct coro *c, size_t stack_size)
{
    size_t page = page_size();
    size_t usable = (stack_size + page - 1) / page * page;
    void *map;

    memset(c, 0, sizeof(*c));
    map = mmap(NULL, usable + page, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) {
        return -1;
    }
    /* guard page at the low end: the stack grows down into it */
    if (mprotect(map, page, PROT_NONE) != 0) {
        munmap(map, usable + page);
        return -1;
    }
    c->map = map;
    c->map_size = usable + page;
    c->stack = (char *) map + page;
    c->stack_size = usable;
#ifdef HAVE_VALGRIND_H
    c->valgrind_id = VALGRIND_STACK_REGISTER(c->stack,
                                             (char *) c->stack + c->stack_size);
#endif
    return 0;
}

static void coro_entry(void)
{
    struct coro *c = current_coro;

    c->fn(c->arg);
    /* returning resumes uc_link, i.e. c->caller */
}

int coro_run(struct coro *c, void (*fn)(void *arg), void *arg)
{
    if (getcontext(&c->self) != 0) {
        return -1;
    }
    c->self.uc_stack.ss_sp = c->stack;
    c->self.uc_stack.ss_size = c->stack_size;
    c->self.uc_stack.ss_flags = 0;
    c->self.uc_link = &c->caller;
    c->fn = fn;
    c->arg = arg;
    makecontext(&c->self, coro_entry, 0);

    current_coro = c;
    if (swapcontext(&c->caller, &c->self) != 0) {
        current_coro = NULL;
        return -1;
    }
    current_coro = NULL;
    return 0;
}

void coro_destroy(struct coro *c)
{
    if (c->map == NULL) {
        return;
    }
#ifdef HAVE_VALGRIND_H
    VALGRIND_STACK_DEREGISTER(c->valgrind_id);
#endif
    munmap(c->map, c->map_size);
    memset(c, 0, sizeof(*c));
}

/* The listening sockets of `tollgate serve` and how they are handed from one process to
 * the next, in systemd's socket-activation protocol (LISTEN_PID, LISTEN_FDS from fd 3,
 * LISTEN_FDNAMES): systemd may hand them to the keeper, and the keeper hands them to every
 * master it starts, so they outlive any master, child or upgrade. */
#ifndef APP_LISTEN_H
#define APP_LISTEN_H

#include <stdbool.h>
#include <stddef.h>

#include "../../lib/err.h"

/* The pools' sockets, in the order they are passed (fd 3, 4, 5). */
struct listen_fds {
	int gate, console, ai;
};

/* The sockets passed to this process. ERR_NOTFOUND (msg says so) when none were; ERR_INPUT
 * when what was passed is not listening sockets named gate, console and ai (names
 * optional: without them fd 3 is the gate's, fd 4 the console's and fd 5 the AI pool's).
 * The AI pool's may be missing (a service manager set up before it existed): fds->ai is
 * then -1.
 * The LISTEN_* variables are removed from the environment; the descriptors get
 * FD_CLOEXEC. */
enum err listen_inherited(struct listen_fds *fds, char *msg, size_t msglen) WUR;

/* In a child between fork and exec: moves the sockets to fds 3, 4 and 5 (without
 * FD_CLOEXEC) and sets LISTEN_PID (this process), LISTEN_FDS and LISTEN_FDNAMES for the
 * program it executes. False if a descriptor could not be moved. */
bool listen_pass(const struct listen_fds *fds);

#endif

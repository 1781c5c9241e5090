/* Phase marks for the start-time breakdown (bench/phases.sh). With STRAIT_PHASES naming
 * a file, every strait process appends one line "<pid> <CLOCK_MONOTONIC us> <name>"
 * per mark; without it a mark costs one branch. A benchmarking aid: the file stays
 * open (close-on-exec) in the container process until its execve, as the state dir's
 * fd does. */
#ifndef STRAIT_PHASE_H
#define STRAIT_PHASE_H

/* lc_phase_init (strait.h) opens the file and marks "main", once per process image. */
void phase_mark(const char *name);

#endif

/* replay.h: rejection of messages whose signature was seen before.
 *
 * A signed message captured on the network could otherwise be sent again. Every valid
 * signature is remembered; a message that repeats one is dropped. The memory is bounded:
 * once JK_REPLAY_CAPACITY signatures are stored, the oldest are forgotten first.
 */
#ifndef JK_REPLAY_H
#define JK_REPLAY_H

#define JK_REPLAY_CAPACITY 65536

/* Records signature and returns 0 when it is new, 1 when it was seen before. Empty
 * signatures (signing disabled) are never recorded and always return 0. Thread-safe. */
int jk_replay_check(const char *signature);

/* Forgets every signature (for tests and at exit). */
void jk_replay_reset(void);

#endif /* JK_REPLAY_H */

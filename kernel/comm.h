/* comm.h: Jupyter comms, the channels between kernel-side objects and frontend widgets.
 *
 * A feature registers a target name with callbacks. When a frontend opens a comm for
 * that target, the kernel creates a jk_comm and calls on_open; later comm_msg and
 * comm_close messages go to on_message and on_close. A comm_open for a target nobody
 * registered gets a comm_close at once. All callbacks run on the main thread, between
 * commands, with the request that caused them as the parent of what they send. Commands
 * may send on open comms too; their messages have the execute request as parent.
 */
#ifndef JK_COMM_H
#define JK_COMM_H

#include <jansson.h>

#include "kernel.h"

typedef struct jk_comm jk_comm;

typedef struct {
    const char *target_name;
    /* Called for comm_open with its data (borrowed). Returns 0 to accept, -1 to refuse
     * (the kernel then closes the comm). May be NULL. */
    int (*on_open)(jk_comm *comm, const json_t *data);
    /* Called for each comm_msg with its data (borrowed). May be NULL. */
    void (*on_message)(jk_comm *comm, const json_t *data);
    /* Called once when the frontend closes the comm or the kernel exits. May be NULL. */
    void (*on_close)(jk_comm *comm, const json_t *data);
} jk_comm_target;

/* Registers target (which must stay valid for the life of the process). Returns 0, or
 * -1 when a target of that name exists. */
int jk_comm_register_target(const jk_comm_target *target);

/* Sends comm_msg with data (stolen) to the frontend side of comm. Only possible while a
 * request runs (in a callback or a command); otherwise the message is dropped and
 * logged. */
void jk_comm_send(jk_comm *comm, json_t *data);

/* Sends comm_close with data (stolen, may be NULL) and removes the comm from the registry after the
 * current callback returns. */
void jk_comm_close(jk_comm *comm, json_t *data);

const char *jk_comm_id(const jk_comm *comm);
const char *jk_comm_target_name(const jk_comm *comm);

/* Per-comm state for the target's callbacks. */
void jk_comm_set_state(jk_comm *comm, void *state);
void *jk_comm_state(const jk_comm *comm);

/*** used by the shell ***/

/* Handles comm_open, comm_msg, comm_close or comm_info_request from the shell. */
void jk_comm_handle(jk_channel *shell, const jk_message *request);

/* Sets the channel and request that messages sent from commands belong to (both NULL
 * when no request is running). */
void jk_comm_set_context(jk_channel *shell, const jk_message *request);

/* Closes every open comm (calling on_close) and unregisters every target. */
void jk_comm_clear(void);

#endif /* JK_COMM_H */

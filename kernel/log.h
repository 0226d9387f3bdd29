/* log.h: the kernel's diagnostic log on stderr.
 *
 * One line per event: a UTC timestamp, the level, the message id when the event
 * concerns a message, and the text. Never pass the HMAC key or whole message contents.
 */
#ifndef JK_LOG_H
#define JK_LOG_H

typedef enum {
    JK_LOG_DEBUG,
    JK_LOG_INFO,
    JK_LOG_WARNING,
    JK_LOG_ERROR
} jk_log_level;

/* Reads NNSCOPE_LOG_LEVEL (debug, info, warning, error; default warning). */
void jk_log_init(void);

/* Writes one line to stderr; msg_id may be NULL. Safe to call from any thread. */
void jk_log(jk_log_level level, const char *msg_id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* JK_LOG_H */

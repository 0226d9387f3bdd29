/* complete.h: completion, inspection and completeness of partial cells. */
#ifndef JK_COMPLETE_H
#define JK_COMPLETE_H

#include <jansson.h>

/* Each takes the request's content and returns the reply's content. Cursor positions
 * count Unicode code points, as the messaging spec prescribes. */
json_t *jk_complete_reply(const json_t *request);
json_t *jk_inspect_reply(const json_t *request);
json_t *jk_is_complete_reply(const json_t *request);

#endif /* JK_COMPLETE_H */

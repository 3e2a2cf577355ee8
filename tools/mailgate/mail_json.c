/* mail_json.c - a parsed message as JSON, for `sundesk-mailgate --dry-run` and its corpus. */
#include "mail.h"

#include <glib.h>
#include <jansson.h>
#include <string.h>

/* Sets key of o to v (taken); a NULL v (a string jansson refused: invalid UTF-8) fails the whole
 * output rather than leaving the key out. */
static void s_set(json_t *o, const char *key, json_t *v, bool *failed)
{
    if (!v || json_object_set_new(o, key, v) != 0)
        *failed = true;
}

int sd_mail_json(const sd_mail_t *m, size_t text_max, const char *id, FILE *out)
{
    json_t *o = json_object();
    json_t *list = json_array();
    if (!o || !list)
        goto fail;
    bool failed = false;
    size_t cut = sd_mail_utf8_cut(m->text, text_max);
    if (id)
        s_set(o, "id", json_string(id), &failed);
    s_set(o, "message_id", json_string(m->message_id), &failed);
    s_set(o, "date_ms", json_integer(m->date_ms), &failed);
    s_set(o, "message_id_made", json_boolean(m->message_id_made), &failed);
    s_set(o, "in_reply_to", json_string(m->in_reply_to), &failed);
    s_set(o, "references", json_string(m->references), &failed);
    s_set(o, "from", json_string(m->from), &failed);
    s_set(o, "from_name", json_string(m->from_name), &failed);
    s_set(o, "to", json_string(m->to), &failed);
    s_set(o, "cc", json_string(m->cc), &failed);
    s_set(o, "subject", json_string(m->subject), &failed);
    s_set(o, "text", json_stringn(m->text, cut), &failed);
    if (cut < strlen(m->text))
        s_set(o, "text_truncated", json_true(), &failed);
    s_set(o, "html_only", json_boolean(m->html_only), &failed);
    s_set(o, "class", json_string(sd_mail_class_name(m->cls)), &failed);
    if (m->cls == SD_MAIL_BOUNCE) {
        s_set(o, "bounce_for", json_string(m->bounce_for), &failed);
        s_set(o, "bounce_recipient", json_string(m->bounce_recipient), &failed);
        s_set(o, "bounce_status", json_string(m->bounce_status), &failed);
    }
    for (size_t i = 0; i < m->attachment_count; i++) {
        const sd_mail_attachment_t *a = &m->attachments[i];
        gchar *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, a->data, a->size);
        json_t *a_json = json_pack("{s:s, s:s, s:I, s:s}", "name", a->name, "type", a->type, "size",
                                   (json_int_t)a->size, "sha256", sum);
        if (!a_json || json_array_append_new(list, a_json) != 0)
            failed = true;
        g_free(sum);
    }
    s_set(o, "attachments", list, &failed);
    list = NULL;
    int rc = failed ? -1 : json_dumpf(o, out, JSON_SORT_KEYS | JSON_INDENT(2));
    json_decref(o);
    if (rc || fputc('\n', out) == EOF)
        return -1;
    return 0;
fail:
    json_decref(o);
    json_decref(list);
    return -1;
}

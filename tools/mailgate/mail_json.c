/* mail_json.c - a parsed message as JSON, for `sundesk-mailgate --dry-run` and its corpus. */
#include "mail.h"

#include <glib.h>
#include <jansson.h>
#include <string.h>

int sd_mail_json(const sd_mail_t *m, size_t text_max, const char *id, FILE *out)
{
    json_t *o = json_object();
    json_t *list = json_array();
    if (!o || !list)
        goto fail;
    size_t cut = sd_mail_utf8_cut(m->text, text_max);
    if (id)
        json_object_set_new(o, "id", json_string(id));
    json_object_set_new(o, "message_id", json_string(m->message_id));
    json_object_set_new(o, "date_ms", json_integer(m->date_ms));
    json_object_set_new(o, "message_id_made", json_boolean(m->message_id_made));
    json_object_set_new(o, "in_reply_to", json_string(m->in_reply_to));
    json_object_set_new(o, "references", json_string(m->references));
    json_object_set_new(o, "from", json_string(m->from));
    json_object_set_new(o, "from_name", json_string(m->from_name));
    json_object_set_new(o, "to", json_string(m->to));
    json_object_set_new(o, "cc", json_string(m->cc));
    json_object_set_new(o, "subject", json_string(m->subject));
    json_object_set_new(o, "text", json_stringn(m->text, cut));
    if (cut < strlen(m->text))
        json_object_set_new(o, "text_truncated", json_true());
    json_object_set_new(o, "html_only", json_boolean(m->html_only));
    json_object_set_new(o, "class", json_string(sd_mail_class_name(m->cls)));
    if (m->cls == SD_MAIL_BOUNCE) {
        json_object_set_new(o, "bounce_for", json_string(m->bounce_for));
        json_object_set_new(o, "bounce_recipient", json_string(m->bounce_recipient));
        json_object_set_new(o, "bounce_status", json_string(m->bounce_status));
    }
    for (size_t i = 0; i < m->attachment_count; i++) {
        const sd_mail_attachment_t *a = &m->attachments[i];
        gchar *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, a->data, a->size);
        json_array_append_new(list, json_pack("{s:s, s:s, s:I, s:s}", "name", a->name, "type",
                                              a->type, "size", (json_int_t)a->size, "sha256", sum));
        g_free(sum);
    }
    json_object_set_new(o, "attachments", list);
    list = NULL;
    int rc = json_dumpf(o, out, JSON_SORT_KEYS | JSON_INDENT(2));
    json_decref(o);
    if (rc || fputc('\n', out) == EOF)
        return -1;
    return 0;
fail:
    json_decref(o);
    json_decref(list);
    return -1;
}

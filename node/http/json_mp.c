/* json_mp.c - jansson values to sd_mp writes and sd_mp nodes to jansson values (json_mp.h). */
#include "json_mp.h"

#include "error.h"

#include <stdio.h>
#include <string.h>

/* Appends "/key" to a JSON pointer, escaping ~ and / as RFC 6901 says. */
static void s_pointer_push(char *pointer, size_t cap, const char *key)
{
    size_t used = strlen(pointer);
    if (used + 1 >= cap)
        return;
    pointer[used++] = '/';
    for (; *key && used + 2 < cap; key++) {
        if (*key == '~' || *key == '/') {
            pointer[used++] = '~';
            pointer[used++] = *key == '~' ? '0' : '1';
        } else
            pointer[used++] = *key;
    }
    pointer[used] = 0;
}

static int s_to_mp(const json_t *v, sd_mp_writer_t *w, char *pointer, size_t cap)
{
    size_t mark = strlen(pointer);
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        sd_mp_map(w, (uint32_t)json_object_size(v));
        const char *key;
        json_t *val;
        json_object_foreach((json_t *)v, key, val)
        {
            sd_mp_strn(w, key, strlen(key));
            s_pointer_push(pointer, cap, key);
            int rc = s_to_mp(val, w, pointer, cap);
            if (rc)
                return rc;
            pointer[mark] = 0;
        }
        return 0;
    }
    case JSON_ARRAY: {
        sd_mp_array(w, (uint32_t)json_array_size(v));
        size_t i;
        json_t *val;
        json_array_foreach(v, i, val)
        {
            char index[24];
            snprintf(index, sizeof index, "%zu", i);
            s_pointer_push(pointer, cap, index);
            int rc = s_to_mp(val, w, pointer, cap);
            if (rc)
                return rc;
            pointer[mark] = 0;
        }
        return 0;
    }
    case JSON_STRING:
        sd_mp_strn(w, json_string_value(v), json_string_length(v));
        return 0;
    case JSON_INTEGER: {
        json_int_t n = json_integer_value(v);
        if (n >= 0)
            sd_mp_u64(w, (uint64_t)n);
        else
            sd_mp_i64(w, n);
        return 0;
    }
    case JSON_REAL:
        return SD_ETYPE;
    case JSON_TRUE:
    case JSON_FALSE:
        sd_mp_bool(w, json_is_true(v));
        return 0;
    default:
        sd_mp_nil(w);
        return 0;
    }
}

int sd_json_to_mp(const json_t *v, sd_mp_writer_t *w, char *pointer, size_t cap)
{
    snprintf(pointer, cap, "#");
    return s_to_mp(v, w, pointer, cap);
}

static json_t *s_hex(const char *bytes, size_t len)
{
    char *hex = malloc(2 * len + 1);
    if (!hex)
        return NULL;
    for (size_t i = 0; i < len; i++)
        snprintf(hex + 2 * i, 3, "%02x", (unsigned char)bytes[i]);
    json_t *s = json_stringn(hex, 2 * len);
    free(hex);
    return s;
}

/* A map's key as an object key: a str as it is (the node sends only str keys). */
static int s_set(json_t *obj, const sd_mp_node_t *key, json_t *val)
{
    size_t len;
    const char *bytes = sd_mp_bytes(key, &len);
    char name[256];
    if (!bytes || len >= sizeof name || memchr(bytes, 0, len))
        snprintf(name, sizeof name, "?");
    else {
        memcpy(name, bytes, len);
        name[len] = 0;
    }
    return json_object_set_new(obj, name, val);
}

json_t *sd_mp_to_json(const sd_mp_node_t *n)
{
    size_t len;
    const char *bytes;
    uint64_t u;
    int64_t i;
    bool b;
    switch (sd_mp_kind(n)) {
    case SD_MP_BOOL:
        sd_mp_boolean(n, &b);
        return json_boolean(b);
    case SD_MP_UINT:
        sd_mp_uint(n, &u);
        /* jansson integers are signed 64-bit; no value the node sends comes near 2^63. */
        return json_integer((json_int_t)(u > INT64_MAX ? INT64_MAX : u));
    case SD_MP_INT:
        sd_mp_int(n, &i);
        return json_integer(i);
    case SD_MP_STR:
        bytes = sd_mp_bytes(n, &len);
        {
            json_t *s = json_stringn(bytes, len);
            return s ? s : s_hex(bytes, len); /* never invalid UTF-8 in the output */
        }
    case SD_MP_BIN:
        bytes = sd_mp_bytes(n, &len);
        return s_hex(bytes, len);
    case SD_MP_ARRAY: {
        json_t *arr = json_array();
        for (size_t k = 0; arr && k < sd_mp_len(n); k++)
            if (json_array_append_new(arr, sd_mp_to_json(sd_mp_at(n, k))) != 0) {
                json_decref(arr);
                return NULL;
            }
        return arr;
    }
    case SD_MP_MAP: {
        json_t *obj = json_object();
        for (size_t k = 0; obj && k < sd_mp_len(n); k++)
            if (s_set(obj, sd_mp_key(n, k), sd_mp_to_json(sd_mp_val(n, k))) != 0) {
                json_decref(obj);
                return NULL;
            }
        return obj;
    }
    default:
        return json_null();
    }
}

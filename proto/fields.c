/* fields.c - table-driven, strict encoding and decoding of C structs as msgpack maps. */
#include "mp.h"

#include "error.h"
#include "utf8.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sd_fault_set(sd_fault_t *fault, int code, const char *fmt, ...)
{
    if (fault) {
        va_list ap;
        va_start(ap, fmt);
        fault->code = code;
        vsnprintf(fault->text, sizeof fault->text, fmt, ap);
        va_end(ap);
    }
    return code;
}

#define MEMBER(obj, f, type)  ((type *)((char *)(obj) + (f)->offset))
#define CMEMBER(obj, f, type) ((const type *)((const char *)(obj) + (f)->offset))

void sd_field_quote(char out[SD_FIELD_QUOTE_MAX], const char *name, size_t len)
{
    size_t k = 0;
    for (; k < len && k < SD_FIELD_QUOTE_MAX - 1; k++)
        out[k] = (name[k] >= 0x20 && name[k] < 0x7f) ? name[k] : '?';
    out[k] = 0;
}

const char *sd_field_enum_name(const sd_field_t *f, int v)
{
    if (v < 0 || (uint32_t)v >= f->max)
        return "?";
    return f->names[v];
}

int sd_field_enum_value(const sd_field_t *f, const char *name)
{
    for (uint32_t i = 0; i < f->max; i++)
        if (strcmp(f->names[i], name) == 0)
            return (int)i;
    return -1;
}

int sd_fields_find(const sd_field_t *table, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(table[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Whether table entry f is named name[0..len) (raw bytes that may hold a NUL). */
static bool s_named(const sd_field_t *f, const char *name, size_t len)
{
    return len && f->name[0] == name[0] && strnlen(f->name, len + 1) == len &&
           memcmp(f->name, name, len) == 0;
}

int sd_fields_find_bytes(const sd_field_t *table, size_t n, const char *name, size_t len)
{
    /* The first byte rules out most entries; a full strlen per entry made
     * this lookup the top of the replica's profile. name is raw bytes and may
     * hold a NUL, so compare lengths (bounded) before the bytes. */
    for (size_t i = 0; i < n; i++)
        if (s_named(&table[i], name, len))
            return (int)i;
    return -1;
}

int sd_fields_find_next(const sd_field_t *table, size_t n, const char *name, size_t len,
                        size_t hint)
{
    /* Maps written by sd_fields_encode (events, stored records) list their fields in table
     * order, so the entry after the previous match is nearly always the one. */
    if (hint < n && s_named(&table[hint], name, len))
        return (int)hint;
    return sd_fields_find_bytes(table, n, name, len);
}

/* The list of allowed enum names, for an error message a user can act on. */
static void s_enum_list(const sd_field_t *f, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = 0;
    for (uint32_t i = 0; i < f->max && used + 2 < cap; i++) {
        int k = snprintf(out + used, cap - used, "%s%s", i ? ", " : "", f->names[i]);
        if (k < 0)
            break;
        used += (size_t)k;
    }
}

static int s_decode_str(const sd_field_t *f, const sd_mp_node_t *v, const char *where, void *obj,
                        sd_fault_t *fault)
{
    char **slot = MEMBER(obj, f, char *);
    /* nil means "not set": never allowed where a value must be present or non-empty. */
    if (sd_mp_kind(v) == SD_MP_NIL && !(f->flags & (SD_F_REQUIRED | SD_F_NONEMPTY))) {
        free(*slot);
        *slot = NULL;
        return 0;
    }
    if (sd_mp_kind(v) != SD_MP_STR)
        return sd_fault_set(fault, SD_ETYPE, "%s.%s: expected a string", where, f->name);
    size_t len;
    const char *s = sd_mp_bytes(v, &len);
    if (len > f->max)
        return sd_fault_set(fault, SD_ETOOLONG, "%s.%s: string too long (%zu bytes, max %u)", where,
                            f->name, len, f->max);
    if ((f->flags & SD_F_NONEMPTY) && len == 0)
        return sd_fault_set(fault, SD_ERANGE, "%s.%s: must not be empty", where, f->name);
    if (!sd_utf8_valid(s, len))
        return sd_fault_set(fault, SD_EUTF8, "%s.%s: not valid UTF-8", where, f->name);
    if (sd_utf8_has_control(s, len, f->flags & SD_F_LINE))
        return sd_fault_set(fault, SD_EUTF8, "%s.%s: control characters are not allowed", where,
                            f->name);
    char *copy = malloc(len + 1);
    if (!copy)
        return sd_fault_set(fault, SD_ENOMEM, "out of memory");
    memcpy(copy, s, len);
    copy[len] = 0;
    free(*slot);
    *slot = copy;
    return 0;
}

/* Bytes into a heap copy (n + 1 bytes, NUL-terminated for convenience). */
static int s_bin_set(sd_bin_t *b, const void *data, size_t n)
{
    uint8_t *copy = malloc(n + 1);
    if (!copy)
        return SD_ENOMEM;
    if (n)
        memcpy(copy, data, n);
    copy[n] = 0;
    free(b->data);
    b->data = copy, b->len = n;
    return 0;
}

static int s_decode_bin(const sd_field_t *f, const sd_mp_node_t *v, const char *where, void *obj,
                        sd_fault_t *fault)
{
    size_t len;
    const char *s = sd_mp_bytes(v, &len);
    if (sd_mp_kind(v) != SD_MP_BIN && sd_mp_kind(v) != SD_MP_STR)
        return sd_fault_set(fault, SD_ETYPE, "%s.%s: expected bytes", where, f->name);
    if (len > f->max)
        return sd_fault_set(fault, SD_ETOOLONG, "%s.%s: too long (%zu bytes, max %u)", where,
                            f->name, len, f->max);
    if (s_bin_set(MEMBER(obj, f, sd_bin_t), s, len))
        return sd_fault_set(fault, SD_ENOMEM, "out of memory");
    return 0;
}

int sd_field_decode(const sd_field_t *f, const sd_mp_node_t *v, const char *where, void *obj,
                    sd_fault_t *fault)
{
    uint64_t u;
    switch (f->kind) {
    case SD_F_STR:
        return s_decode_str(f, v, where, obj, fault);
    case SD_F_BIN:
        return s_decode_bin(f, v, where, obj, fault);
    case SD_F_U64:
        if (sd_mp_uint(v, &u) != 0)
            return sd_fault_set(fault, SD_ETYPE, "%s.%s: expected a non-negative integer", where,
                                f->name);
        *MEMBER(obj, f, uint64_t) = u;
        return 0;
    case SD_F_INT:
        if (sd_mp_uint(v, &u) != 0)
            return sd_fault_set(fault, SD_ETYPE, "%s.%s: expected an integer", where, f->name);
        if (u < f->min || u > f->max)
            return sd_fault_set(fault, SD_ERANGE, "%s.%s: %llu is out of range %u..%u", where,
                                f->name, (unsigned long long)u, f->min, f->max);
        *MEMBER(obj, f, int) = (int)u;
        return 0;
    case SD_F_BOOL:
        if (sd_mp_boolean(v, MEMBER(obj, f, bool)) != 0)
            return sd_fault_set(fault, SD_ETYPE, "%s.%s: expected true or false", where, f->name);
        return 0;
    case SD_F_NODE:
        *MEMBER(obj, f, const sd_mp_node_t *) = v;
        return 0;
    case SD_F_ENUM: {
        size_t len;
        const char *s = sd_mp_bytes(v, &len);
        if (sd_mp_kind(v) != SD_MP_STR)
            return sd_fault_set(fault, SD_ETYPE, "%s.%s: expected a string", where, f->name);
        for (uint32_t i = 0; i < f->max; i++) {
            if (strlen(f->names[i]) == len && memcmp(f->names[i], s, len) == 0) {
                *MEMBER(obj, f, int) = (int)i;
                return 0;
            }
        }
        char allowed[160];
        s_enum_list(f, allowed, sizeof allowed);
        return sd_fault_set(fault, SD_ERANGE, "%s.%s: unknown value, expected one of: %s", where,
                            f->name, allowed);
    }
    }
    return sd_fault_set(fault, SD_EINVAL, "%s.%s: bad schema", where, f->name);
}

int sd_field_parse(const sd_field_t *f, const char *text, void *obj, sd_fault_t *fault)
{
    char *end;
    unsigned long long u;
    size_t len = strlen(text);
    switch (f->kind) {
    case SD_F_STR: {
        if ((f->flags & SD_F_NONEMPTY) && len == 0)
            return sd_fault_set(fault, SD_ERANGE, "--%s: must not be empty", f->name);
        if (len > f->max)
            return sd_fault_set(fault, SD_ETOOLONG, "--%s: too long (%zu bytes, max %u)", f->name,
                                len, f->max);
        if (!sd_utf8_valid(text, len) || sd_utf8_has_control(text, len, f->flags & SD_F_LINE))
            return sd_fault_set(fault, SD_EUTF8, "--%s: not valid text for this field", f->name);
        char *copy = strdup(text);
        if (!copy)
            return sd_fault_set(fault, SD_ENOMEM, "out of memory");
        free(*MEMBER(obj, f, char *));
        *MEMBER(obj, f, char *) = copy;
        return 0;
    }
    case SD_F_U64:
    case SD_F_INT:
        errno = 0;
        u = strtoull(text, &end, 10);
        if (text[0] < '0' || text[0] > '9' || *end || errno)
            return sd_fault_set(fault, SD_ETYPE, "--%s: expected a number", f->name);
        if (f->kind == SD_F_U64) {
            *MEMBER(obj, f, uint64_t) = u;
            return 0;
        }
        if (u < f->min || u > f->max)
            return sd_fault_set(fault, SD_ERANGE, "--%s: must be %u..%u", f->name, f->min, f->max);
        *MEMBER(obj, f, int) = (int)u;
        return 0;
    case SD_F_BOOL:
        if (!strcmp(text, "true") || !strcmp(text, "yes") || !strcmp(text, "1"))
            *MEMBER(obj, f, bool) = true;
        else if (!strcmp(text, "false") || !strcmp(text, "no") || !strcmp(text, "0"))
            *MEMBER(obj, f, bool) = false;
        else
            return sd_fault_set(fault, SD_ETYPE, "--%s: expected yes or no", f->name);
        return 0;
    case SD_F_ENUM: {
        int v = sd_field_enum_value(f, text);
        if (v < 0) {
            char allowed[160];
            s_enum_list(f, allowed, sizeof allowed);
            return sd_fault_set(fault, SD_ERANGE, "--%s: expected one of: %s", f->name, allowed);
        }
        *MEMBER(obj, f, int) = v;
        return 0;
    }
    case SD_F_BIN:
        if (len > f->max)
            return sd_fault_set(fault, SD_ETOOLONG, "--%s: too long (%zu bytes, max %u)", f->name,
                                len, f->max);
        if (s_bin_set(MEMBER(obj, f, sd_bin_t), text, len))
            return sd_fault_set(fault, SD_ENOMEM, "out of memory");
        return 0;
    }
    return sd_fault_set(fault, SD_EINVAL, "--%s: bad schema", f->name);
}

int sd_fields_decode(const sd_field_t *table, size_t n, const sd_mp_node_t *map, const char *where,
                     void *obj, uint64_t *present, sd_fault_t *fault)
{
    *present = 0;
    if (sd_mp_kind(map) != SD_MP_MAP)
        return sd_fault_set(fault, SD_ETYPE, "%s: expected a map", where);
    size_t count = sd_mp_len(map), hint = 0;
    for (size_t i = 0; i < count; i++) {
        const sd_mp_node_t *key = sd_mp_key(map, i);
        size_t len;
        const char *name = sd_mp_bytes(key, &len);
        if (sd_mp_kind(key) != SD_MP_STR)
            return sd_fault_set(fault, SD_ETYPE, "%s: map keys must be strings", where);
        int idx = sd_fields_find_next(table, n, name, len, hint);
        if (idx < 0) {
            char shown[SD_FIELD_QUOTE_MAX];
            sd_field_quote(shown, name, len);
            return sd_fault_set(fault, SD_EUNKNOWN_FIELD, "%s: unknown field '%s'", where, shown);
        }
        if (*present & (1ull << idx))
            return sd_fault_set(fault, SD_EDUPLICATE, "%s.%s: given twice", where, table[idx].name);
        int rc = sd_field_decode(&table[idx], sd_mp_val(map, i), where, obj, fault);
        if (rc)
            return rc;
        *present |= 1ull << idx;
        hint = (size_t)idx + 1;
    }
    for (size_t i = 0; i < n; i++)
        if ((table[i].flags & SD_F_REQUIRED) && !(*present & (1ull << i)))
            return sd_fault_set(fault, SD_EMISSING, "%s.%s: required field missing", where,
                                table[i].name);
    return 0;
}

uint64_t sd_fields_present(const sd_field_t *table, size_t n, const void *obj)
{
    uint64_t mask = 0;
    for (size_t i = 0; i < n; i++)
        if (!(table[i].flags & SD_F_OMIT_ZERO) || table[i].kind != SD_F_BOOL ||
            *CMEMBER(obj, &table[i], bool))
            mask |= 1ull << i;
    return mask;
}

uint32_t sd_fields_encode(const sd_field_t *table, size_t n, const void *obj, uint64_t mask,
                          sd_mp_writer_t *w)
{
    uint32_t pairs = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(mask & (1ull << i)))
            continue;
        const sd_field_t *f = &table[i];
        sd_mp_str(w, f->name);
        switch (f->kind) {
        case SD_F_STR:
            sd_mp_str(w, *CMEMBER(obj, f, char *));
            break;
        case SD_F_U64:
            sd_mp_u64(w, *CMEMBER(obj, f, uint64_t));
            break;
        case SD_F_INT:
            sd_mp_i64(w, *CMEMBER(obj, f, int));
            break;
        case SD_F_BOOL:
            sd_mp_bool(w, *CMEMBER(obj, f, bool));
            break;
        case SD_F_ENUM:
            sd_mp_str(w, sd_field_enum_name(f, *CMEMBER(obj, f, int)));
            break;
        case SD_F_NODE:
            sd_mp_nil(w); /* a borrowed view of a received message, not a value to send */
            break;
        case SD_F_BIN: {
            const sd_bin_t *b = CMEMBER(obj, f, sd_bin_t);
            sd_mp_bin(w, b->data, b->data ? b->len : 0);
            break;
        }
        }
        pairs++;
    }
    return pairs;
}

void sd_fields_free(const sd_field_t *table, size_t n, void *obj, uint64_t mask)
{
    for (size_t i = 0; i < n; i++) {
        if ((mask & (1ull << i)) && table[i].kind == SD_F_STR) {
            char **slot = MEMBER(obj, &table[i], char *);
            free(*slot);
            *slot = NULL;
        }
        if ((mask & (1ull << i)) && table[i].kind == SD_F_BIN) {
            sd_bin_t *b = MEMBER(obj, &table[i], sd_bin_t);
            free(b->data);
            b->data = NULL, b->len = 0;
        }
    }
}

/* Size of a scalar member (compared and copied as bytes); 0 for the others. */
static size_t s_scalar_size(int kind)
{
    switch (kind) {
    case SD_F_U64:
        return sizeof(uint64_t);
    case SD_F_INT:
    case SD_F_ENUM:
        return sizeof(int);
    case SD_F_BOOL:
        return sizeof(bool);
    default:
        return 0;
    }
}

int sd_fields_copy(const sd_field_t *table, size_t n, void *dst, const void *src, uint64_t mask)
{
    for (size_t i = 0; i < n; i++) {
        const sd_field_t *f = &table[i];
        if (!(mask & (1ull << i)))
            continue;
        if (f->kind == SD_F_BIN) {
            const sd_bin_t *b = CMEMBER(src, f, sd_bin_t);
            if (s_bin_set(MEMBER(dst, f, sd_bin_t), b->data, b->data ? b->len : 0))
                return SD_ENOMEM;
            continue;
        }
        if (f->kind != SD_F_STR) {
            memcpy(MEMBER(dst, f, char), CMEMBER(src, f, char), s_scalar_size(f->kind));
            continue;
        }
        const char *s = *CMEMBER(src, f, char *);
        char *copy = NULL;
        if (s && !(copy = strdup(s)))
            return SD_ENOMEM;
        char **slot = MEMBER(dst, f, char *);
        free(*slot);
        *slot = copy;
    }
    return 0;
}

bool sd_fields_equal(const sd_field_t *table, size_t n, const void *a, const void *b, uint64_t mask)
{
    for (size_t i = 0; i < n; i++) {
        const sd_field_t *f = &table[i];
        if (!(mask & (1ull << i)))
            continue;
        if (f->kind == SD_F_BIN) {
            const sd_bin_t *x = CMEMBER(a, f, sd_bin_t), *y = CMEMBER(b, f, sd_bin_t);
            if (x->len != y->len || (x->len && memcmp(x->data, y->data, x->len) != 0))
                return false;
            continue;
        }
        if (f->kind != SD_F_STR) {
            if (memcmp(CMEMBER(a, f, char), CMEMBER(b, f, char), s_scalar_size(f->kind)) != 0)
                return false;
            continue;
        }
        const char *x = *CMEMBER(a, f, char *), *y = *CMEMBER(b, f, char *);
        if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0))
            return false;
    }
    return true;
}

/* config_channels.h - the configuration of the desk's channels (issue 17): the sections mail
 * (config_mail.c), alerts (config_alerts.c) and chat (config_chat.c) of the node's config file.
 * Plain structs inside sd_config_t (config.h), filled by sd_config_load; defaults leave every
 * channel off, so a node without these sections sends nothing and runs no program.
 *
 * Example:
 *     mail
 *         address = support@example.com     # the desk's address: From of what it sends
 *         domain = desk.example.com         # right side of its Message-IDs
 *         transport = sendmail              # off (default) | sendmail | smtp
 *         sendmail = /usr/sbin/sendmail     # run as `sendmail -t -i`
 *         smtp_url = smtp://127.0.0.1:25    # transport smtp (libcurl): smtp:// or smtps://
 *         unknown_sender = open             # open | hold: mail from no known customer
 *         max_bytes = 10485760              # the largest message sundesk-mailgate takes
 *         language = zh-CN                  # templates' language when the caller's is unknown
 *         templates = /etc/sundesk/mail     # admin-edited templates; "" = the built-in ones
 *         console_url = https://desk.example.com/  # links in mails (default: the node's)
 *         bulletin_to = all-staff@example.com      # who hears of bulletins
 *         auto_per_hour = 10                # most notices to one address an hour (1..1000)
 */
#ifndef SD_CONFIG_CHANNELS_H
#define SD_CONFIG_CHANNELS_H

#include "sizes.h"

#include <czmq.h>
#include <stdbool.h>
#include <stddef.h>

#define SD_MAIL_ADDR_MAX 254 /* an e-mail address (RFC 5321 path limit) */
#define SD_MAIL_LIST_MAX 1024
#define SD_MAIL_PATH_MAX 1024

typedef enum {
    SD_MAIL_OFF,      /* nothing is sent (the default) */
    SD_MAIL_SENDMAIL, /* handed to the local MTA: `sendmail -t -i` */
    SD_MAIL_SMTP      /* SMTP (libcurl) to smtp_url */
} sd_mail_transport_t;

typedef enum { SD_UNKNOWN_OPEN, SD_UNKNOWN_HOLD } sd_unknown_sender_t;

/* The mail section (config_mail.c). */
typedef struct {
    char address[SD_MAIL_ADDR_MAX + 1]; /* the desk's address; "" = none configured */
    char domain[SD_MAIL_ADDR_MAX + 1];  /* Message-ID domain; default "SITE.sundesk.invalid" */
    bool domain_set;                    /* configured, not the default */
    int transport;                      /* sd_mail_transport_t */
    char sendmail[SD_MAIL_PATH_MAX];    /* default /usr/sbin/sendmail */
    char smtp_url[SD_MAIL_PATH_MAX];    /* smtp://host:port or smtps://host:port */
    char smtp_user[SD_NAME_MAX + 1];    /* "" = no SMTP AUTH */
    char smtp_password_file[SD_MAIL_PATH_MAX]; /* owner-only (0600) file with the password */
    int unknown_sender;                        /* sd_unknown_sender_t */
    long max_bytes;                            /* default 10 MiB */
    char language[SD_LANG_MAX + 1];            /* default "zh-CN" */
    char templates[SD_MAIL_PATH_MAX];          /* "" = built-in */
    char console_url[SD_MAIL_PATH_MAX];        /* "" = the node's own http URL */
    char bulletin_to[SD_MAIL_LIST_MAX];        /* comma-separated addresses; "" = none */
    int auto_per_hour; /* most auto-generated mails to one recipient an hour (default 10) */
} sd_mail_config_t;

/* The alerts section (config_alerts.c):
 *     alerts
 *         flap_window = 900                # seconds: a trigger this soon after a resolve reopens
 *         severity_critical = 1,1          # impact,urgency of a new ticket (critical, error,
 *         severity_warning = 2,2           #   warning, info; another word counts as warning)
 *         source
 *             name = prom                  # the source's name (its alerts' ids hash it)
 *             kind = alertmanager          # alertmanager | pagerduty
 *             user = alertmanager          # the desk user whose API token it sends (agent role)
 *             routing_key = R0123...       # pagerduty: the routing_key its events carry
 *             team = ops                   # new tickets' team and category
 *             category = monitoring
 *             site = SHA                   # the site it reports for (documentation; default
 *                                          #   the node's) */
#define SD_ALERT_SOURCES_MAX     16
#define SD_ALERT_SOURCE_NAME_MAX 64
#define SD_ALERT_ROUTING_KEY_MAX 128

typedef enum { SD_ALERT_SRC_ALERTMANAGER, SD_ALERT_SRC_PAGERDUTY } sd_alert_src_kind_t;

typedef enum {
    SD_ALERT_SEV_CRITICAL,
    SD_ALERT_SEV_ERROR,
    SD_ALERT_SEV_WARNING,
    SD_ALERT_SEV_INFO,
    SD_ALERT_SEV_COUNT_
} sd_alert_severity_t;

typedef struct {
    char name[SD_ALERT_SOURCE_NAME_MAX + 1];        /* source NAME */
    int kind;                                       /* sd_alert_src_kind_t */
    char user[SD_NAME_MAX + 1];                     /* the desk user it authenticates as */
    char routing_key[SD_ALERT_ROUTING_KEY_MAX + 1]; /* pagerduty: "" = any */
    char team[SD_NAME_MAX + 1];                     /* new tickets' team ("" = none) */
    char category[SD_CATEGORY_MAX + 1];             /* new tickets' category ("" = none) */
    char site[SD_SITE_MAX + 1];                     /* its site ("" = the node's) */
} sd_alert_source_t;

typedef struct {
    int flap_window;                  /* seconds (default 900) */
    bool flap_window_set;             /* configured */
    int impact[SD_ALERT_SEV_COUNT_];  /* by sd_alert_severity_t (default 1, 2, 2, 3) */
    int urgency[SD_ALERT_SEV_COUNT_]; /* (default 1, 1, 2, 3) */
    bool severity_set[SD_ALERT_SEV_COUNT_];
    sd_alert_source_t sources[SD_ALERT_SOURCES_MAX];
    int nsources;
} sd_alerts_config_t;

extern const char *const sd_alert_severity_names[]; /* SD_ALERT_SEV_COUNT_ */

/* The severity of a source's word: critical, error, warning, info (case-insensitive;
 * PagerDuty's words, Alertmanager's usual label values; "page" and "high" count as critical,
 * anything else as warning). */
int sd_alerts_severity(const char *word);

/* The chat section (config_chat.c): robots that post the desk's notices into group chats.
 * Example:
 *     chat
 *         robot
 *             name = ops-wecom             # letters, digits, '-', '_', '.'
 *             kind = wecom                 # wecom | dingtalk | feishu | webhook
 *             url = https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY
 *             secret_file = /etc/sundesk/robot.secret   # 0600; dingtalk, feishu, webhook
 *             events = new_p1,breach,major,page         # default: all seven
 *             teams = network,servers      # "" (default) = every team
 *             sites = APAC                 # "" (default) = every site
 *             per_minute = 20              # most posts a minute (default 20)
 */
#define SD_CHAT_ROBOTS_MAX 16 /* robots one node posts to */
#define SD_ROBOT_URL_MAX   1024

typedef enum {
    SD_ROBOT_WECOM,
    SD_ROBOT_DINGTALK,
    SD_ROBOT_FEISHU,
    SD_ROBOT_WEBHOOK
} sd_robot_kind_t;

/* The events a robot may post (its `events` key), as bits of sd_robot_config_t.events. */
enum {
    SD_ROBOT_EV_NEW_P1 = 1u << 0,   /* "new_p1": a new P1 ticket */
    SD_ROBOT_EV_NEW_P2 = 1u << 1,   /* "new_p2": a new P2 ticket */
    SD_ROBOT_EV_BREACH = 1u << 2,   /* "breach": an SLA breach */
    SD_ROBOT_EV_HANDOVER = 1u << 3, /* "handover": a follow-the-sun handover */
    SD_ROBOT_EV_MAJOR = 1u << 4,    /* "major": a major incident */
    SD_ROBOT_EV_BULLETIN = 1u << 5, /* "bulletin": a bulletin */
    SD_ROBOT_EV_PAGE = 1u << 6,     /* "page": an on-call page */
    SD_ROBOT_EV_ALL = (1u << 7) - 1
};

/* One `robot NAME` subsection. The secret itself is never kept here: robot.c reads the file
 * when it signs (a rotated secret needs no restart) and never logs it. */
typedef struct {
    char name[SD_NAME_MAX + 1];
    int kind;                           /* sd_robot_kind_t */
    char url[SD_ROBOT_URL_MAX];         /* http:// or https:// */
    char secret_file[SD_MAIL_PATH_MAX]; /* "" = none (wecom: none; webhook: unsigned) */
    unsigned events;                    /* SD_ROBOT_EV_* bits; default all */
    char teams[SD_MAIL_LIST_MAX];       /* comma-separated; "" = every team */
    char sites[SD_MAIL_LIST_MAX];       /* comma-separated; "" = every site */
    int per_minute;                     /* 1..600; default 20 */
} sd_robot_config_t;

typedef struct {
    int robot_count;
    sd_robot_config_t robots[SD_CHAT_ROBOTS_MAX];
} sd_chat_config_t;

typedef struct sd_config sd_config_t;

/* Defaults of the three sections (before the file is read). */
void sd_config_channels_defaults(sd_config_t *cfg);

/* One item of the mail, alerts or chat section (item: a key, or a subsection such as a chat
 * robot). Returns 0 or SD_ECONFIG with the reason in why. */
int sd_config_mail_item(sd_config_t *cfg, zconfig_t *item, char *why, size_t cap);
int sd_config_alerts_item(sd_config_t *cfg, zconfig_t *item, char *why, size_t cap);
int sd_config_chat_item(sd_config_t *cfg, zconfig_t *item, char *why, size_t cap);

/* After the whole file is read: the defaults that depend on other sections (the Message-ID
 * domain on the site), then the rules across keys of the three sections (a transport without
 * what it needs, a secret file others can read). Returns 0 or SD_ECONFIG with why. */
int sd_config_channels_done(sd_config_t *cfg, char *why, size_t cap);

#endif

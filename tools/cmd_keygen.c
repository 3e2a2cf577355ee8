/* cmd_keygen.c - `sundesk keygen`: a node's CURVE certificate pair (replication/keys.h). */
#include "cmd_keygen.h"

#include "cli.h"
#include "error.h"
#include "keys.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* sundesk keygen NAME --site SITE [--role site|hub] [--dir DIR] */
int sd_cmd_keygen(int argc, char **argv)
{
    const char *name = NULL, *site = NULL, *role = "site", *dir = ".";
    if (argc == 1 && !strcmp(argv[0], "--help")) {
        printf("usage: sundesk keygen NAME --site SITE [--role site|hub] [--dir DIR]\n"
               "Writes DIR/NAME.cert (public: give it to the peers, for their certs directory)\n"
               "and DIR/NAME.cert_secret (mode 0600: never copy it, keep it for this node's\n"
               "replication/cert). SITE is this node's site id; refuses to overwrite a key.\n");
        return 0;
    }
    for (int i = 0; i < argc; i++) {
        const char **slot = !strcmp(argv[i], "--site")   ? &site
                            : !strcmp(argv[i], "--role") ? &role
                            : !strcmp(argv[i], "--dir")  ? &dir
                                                         : NULL;
        if (slot && i + 1 < argc)
            *slot = argv[++i];
        else if (!slot && !name && argv[i][0] != '-')
            name = argv[i];
        else
            return sd_cli_fail("keygen: bad argument '%s'; see sundesk --help", argv[i]);
    }
    if (!name || !site)
        return sd_cli_fail(
            "keygen: usage: sundesk keygen NAME --site SITE [--role site|hub] [--dir DIR]");
    int rc = sd_keys_generate(dir, name, site, role);
    if (rc == SD_EDUPLICATE)
        return sd_cli_fail("keygen: %s/%s.cert exists; not overwriting a key", dir, name);
    if (rc == SD_ERANGE)
        return sd_cli_fail("keygen: site must be A-Z 0-9 - _ (max 16), role site or hub");
    if (rc)
        return sd_cli_fail("keygen: cannot write %s/%s.cert: %s", dir, name, strerror(errno));
    printf("%s/%s.cert\n%s/%s.cert_secret\n", dir, name, dir, name);
    return 0;
}

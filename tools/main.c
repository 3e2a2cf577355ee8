/* main.c - the sundesk executable: the command line lives in the sd_cli library (cli.h). */
#include "cli.h"

int main(int argc, char **argv)
{
    return sd_cli_main(argc, argv);
}

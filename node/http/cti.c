/* cti.c - placeholder */

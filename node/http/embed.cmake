# embed.cmake - writes a C file holding a file's bytes and length (the OpenAPI document):
#   cmake -DIN=FILE -DOUT=FILE.c -DNAME=symbol -P embed.cmake
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" digits)
math(EXPR len "${digits} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUT}" "/* generated from ${IN} by node/http/embed.cmake; do not edit */\n"
                    "#include <stddef.h>\n"
                    "const char ${NAME}[] = {${bytes} 0};\n"
                    "const size_t ${NAME}_len = ${len};\n")

# mc_embed(OUTPUT file.c FILES a b ...) generates a C file holding each file's
# bytes, looked up at run time by base name through mc_embed_find().
function(mc_embed)
  cmake_parse_arguments(E "" "OUTPUT" "FILES" ${ARGN})
  string(REPLACE ";" "|" files "${E_FILES}")
  add_custom_command(OUTPUT ${E_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUT=${E_OUTPUT} "-DFILES=${files}"
            -P ${CMAKE_SOURCE_DIR}/cmake/EmbedGen.cmake
    VERBATIM
    DEPENDS ${E_FILES} ${CMAKE_SOURCE_DIR}/cmake/EmbedGen.cmake
    COMMENT "Embedding data files")
endfunction()

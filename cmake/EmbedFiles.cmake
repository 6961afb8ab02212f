# pledgebook_embed_files(<target> <c++ symbol> <files...>)
# Compiles data files (SQL migrations, the gazetteer) into <target> so the
# binaries need no files at run time. The generated source defines
#   const pledgebook::EmbeddedFile <symbol>[]; const std::size_t <symbol>Count;
# and is regenerated whenever one of the files changes.
set(PLEDGEBOOK_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_script.cmake)

function(pledgebook_embed_files target symbol)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${symbol}.embedded.cc)
  # A ";" would split the command line: pass the list joined with "|".
  string(REPLACE ";" "|" files "${ARGN}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DSYMBOL=${symbol} "-DFILES=${files}"
            -P ${PLEDGEBOOK_EMBED_SCRIPT}
    DEPENDS ${ARGN} ${PLEDGEBOOK_EMBED_SCRIPT}
    VERBATIM
    COMMENT "Embedding ${symbol}")
  target_sources(${target} PRIVATE ${out})
endfunction()

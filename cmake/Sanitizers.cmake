# MC_SANITIZE=address,undefined adds the sanitizers to every target
# (redis Makefile SANITIZER=...); any finding aborts the test.
if(MC_SANITIZE)
  add_compile_options(-fsanitize=${MC_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${MC_SANITIZE})
  add_compile_definitions(MC_SANITIZED=1)
endif()

/* kernel_info.c: what the kernel tells clients about itself. */
#include "config.h"

#include "kernel.h"

json_t *jk_kernel_info(void)
{
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s}, s:s, s:[{s:s, s:s}, {s:s, s:s}], "
        "s:b}",
        "status", "ok",
        "protocol_version", JK_PROTOCOL_VERSION,
        "implementation", "nnscope",
        "implementation_version", PACKAGE_VERSION,
        "language_info",
            "name", "nnscope",
            "version", PACKAGE_VERSION,
            "mimetype", "text/x-nnscope",
            "file_extension", ".nns",
            /* No Pygments lexer or CodeMirror mode exists for nnscope; the shell modes
             * colour its comments, quotes and key=value options sensibly. */
            "pygments_lexer", "bash",
            "codemirror_mode", "shell",
        "banner",
            "nnscope " PACKAGE_VERSION ": train neural networks on MNIST digits with short "
            "commands.\nType help for the list of commands, help COMMAND for one of them.",
        /* Background reading for students; the commands themselves are documented by
         * the help command. */
        "help_links",
            "text", "The MNIST database of handwritten digits",
            "url", "http://yann.lecun.com/exdb/mnist/",
            "text", "Neural Networks and Deep Learning (Michael Nielsen)",
            "url", "http://neuralnetworksanddeeplearning.com/",
        "debugger", 0);
}

json_t *jk_shutdown_content(const jk_message *request)
{
    int restart = json_is_true(json_object_get(request->content, "restart"));

    return json_pack("{s:s, s:b}", "status", "ok", "restart", restart);
}

/* placeholder entry point; replaced by the CLI dispatcher */
#include "strait.h"
int main(void) { return 0; }

#pragma once

namespace runnel::app {

// `runnel server [server.properties] [--override key=value ...]`.
int serverMain(int argc, char** argv);

}  // namespace runnel::app

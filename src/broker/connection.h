#pragma once

#include <memory>

#include <boost/asio/ip/tcp.hpp>

#include "broker/request_context.h"

namespace runnel::broker {

// Starts serving one accepted client connection; it lives until the peer or the broker
// closes it. Only server.cc and connection.cc see Asio.
void serveConnection(boost::asio::ip::tcp::socket socket, BrokerContext& context);

}  // namespace runnel::broker

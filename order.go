package refundbot

import (
	"context"
	"strconv"
	"time"
)

// OrderStatus is the platform's order status (platform-api.md).
type OrderStatus string

const (
	OrderUnpaid    OrderStatus = "unpaid"
	OrderPaid      OrderStatus = "paid"
	OrderShipped   OrderStatus = "shipped"
	OrderDelivered OrderStatus = "delivered"
	OrderCompleted OrderStatus = "completed"
	OrderClosed    OrderStatus = "closed"
)

// Item is one line of an order.
type Item struct {
	SKUID      string `json:"sku_id"`
	Title      string `json:"title"`
	Quantity   int    `json:"quantity"`
	Price      Fen    `json:"price"`
	Category   string `json:"category"`
	Refundable bool   `json:"refundable"`
}

// Categories of goods that have no 7-day no-reason return.
const (
	CategoryCustom  = "custom"
	CategoryVirtual = "virtual"
	CategoryFresh   = "fresh"
)

// Order is an order as the merchant platform holds it.
type Order struct {
	OrderID     string      `json:"order_id"`
	BuyerOpenID string      `json:"buyer_openid"`
	Status      OrderStatus `json:"status"`
	PaidAmount  Fen         `json:"paid_amount"`
	ShippingFee Fen         `json:"shipping_fee"`
	Currency    string      `json:"currency"`
	PaidAt      *time.Time  `json:"paid_at,omitempty"`
	DeliveredAt *time.Time  `json:"delivered_at"`
	Items       []Item      `json:"items"`
	ShopName    string      `json:"shop_name,omitempty"`
}

// Title is a short human name for the order's goods.
func (o *Order) Title() string {
	switch len(o.Items) {
	case 0:
		return "订单商品"
	case 1:
		return o.Items[0].Title
	default:
		return o.Items[0].Title + "等" + strconv.Itoa(len(o.Items)) + "件商品"
	}
}

// OrderService finds orders on the merchant platform.
type OrderService interface {
	// FindOrder returns the order. Returns ENOTFOUND if it does not exist.
	// It does not check who the buyer is: callers compare BuyerOpenID.
	FindOrder(ctx context.Context, orderID string) (*Order, error)
}

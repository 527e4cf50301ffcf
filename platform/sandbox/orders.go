package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/refundbot/refundbot"
)

// DemoBuyer is the openid that owns the demo orders. The chat tool talks
// as this buyer by default, so a fresh install has orders to refund.
const DemoBuyer = "o_demo_buyer"

// DemoShop is the demo orders' shop name.
const DemoShop = "小满生活馆"

// DemoOrders returns six orders of DemoBuyer dated relative to now, one for
// each path a refund conversation can take:
//
//	3712000000000000001  wool cardigan, delivered 3 days ago (the happy path)
//	3712000000000000002  engraved mug, custom: no no-reason return
//	3712000000000000003  headphones, shipped, not yet delivered
//	3712000000000000004  canvas bag, paid, not shipped
//	3712000000000000005  fruit box, fresh, delivered yesterday
//	3712000000000000006  down jacket, delivered 40 days ago: outside the window
func DemoOrders(now time.Time) []refundbot.Order {
	cst := time.FixedZone("CST", 8*3600)
	now = now.In(cst).Truncate(time.Second)
	ago := func(d time.Duration) *time.Time { t := now.Add(-d); return &t }
	day := 24 * time.Hour
	order := func(n int, st refundbot.OrderStatus, paid, delivered *time.Time, fee refundbot.Fen, items ...refundbot.Item) refundbot.Order {
		total := fee
		for _, it := range items {
			total += it.Price * refundbot.Fen(it.Quantity)
		}
		return refundbot.Order{
			OrderID:     fmt.Sprintf("37120000000000000%02d", n),
			BuyerOpenID: DemoBuyer,
			Status:      st,
			PaidAmount:  total,
			ShippingFee: fee,
			Currency:    "CNY",
			PaidAt:      paid,
			DeliveredAt: delivered,
			Items:       items,
			ShopName:    DemoShop,
		}
	}
	item := func(sku, title string, price refundbot.Fen, category string) refundbot.Item {
		return refundbot.Item{SKUID: sku, Title: title, Quantity: 1, Price: price, Category: category, Refundable: true}
	}
	return []refundbot.Order{
		order(1, refundbot.OrderDelivered, ago(6*day), ago(3*day), 0,
			item("sku-sweater-m", "羊毛开衫 燕麦色 M码", 12900, "apparel")),
		order(2, refundbot.OrderDelivered, ago(8*day), ago(2*day), 0,
			item("sku-mug-engraved", "定制刻字马克杯", 5900, refundbot.CategoryCustom)),
		order(3, refundbot.OrderShipped, ago(2*day), nil, 0,
			item("sku-earbuds", "降噪蓝牙耳机", 39900, "electronics")),
		order(4, refundbot.OrderPaid, ago(1*day), nil, 600,
			item("sku-canvas-bag", "帆布托特包", 8900, "bags")),
		order(5, refundbot.OrderDelivered, ago(3*day), ago(1*day), 0,
			item("sku-grapes-2kg", "阳光玫瑰葡萄礼盒 2kg", 16800, refundbot.CategoryFresh)),
		order(6, refundbot.OrderCompleted, ago(45*day), ago(40*day), 0,
			item("sku-down-jacket", "轻薄羽绒服 黑色 L码", 59900, "apparel")),
	}
}

// LoadOrdersFile reads orders from a JSON file (see ParseOrders).
func LoadOrdersFile(path string) ([]refundbot.Order, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("sandbox: loading orders: %w", err)
	}
	orders, err := ParseOrders(b)
	if err != nil {
		return nil, fmt.Errorf("sandbox: loading orders from %s: %w", path, err)
	}
	return orders, nil
}

// ParseOrders decodes a JSON array of orders, {"orders": [...]} or a
// single order, and checks each: an id, a contract status, no negative
// money. A missing currency becomes CNY. Errors are EINVALID.
func ParseOrders(data []byte) ([]refundbot.Order, error) {
	data = bytes.TrimSpace(data)
	var orders []refundbot.Order
	switch {
	case len(data) > 0 && data[0] == '[':
		if err := json.Unmarshal(data, &orders); err != nil {
			return nil, &refundbot.Error{Code: refundbot.EINVALID, Message: "orders: malformed JSON array", Err: err}
		}
	case len(data) > 0 && data[0] == '{':
		var probe struct {
			Orders *[]refundbot.Order `json:"orders"`
		}
		if err := json.Unmarshal(data, &probe); err != nil {
			return nil, &refundbot.Error{Code: refundbot.EINVALID, Message: "orders: malformed JSON", Err: err}
		}
		if probe.Orders != nil {
			orders = *probe.Orders
			break
		}
		var o refundbot.Order
		if err := json.Unmarshal(data, &o); err != nil {
			return nil, &refundbot.Error{Code: refundbot.EINVALID, Message: "orders: malformed order", Err: err}
		}
		orders = []refundbot.Order{o}
	default:
		return nil, refundbot.Errorf(refundbot.EINVALID, "orders: want a JSON array, {\"orders\": [...]} or one order")
	}
	for i := range orders {
		if err := checkOrder(&orders[i]); err != nil {
			return nil, fmt.Errorf("orders[%d]: %w", i, err)
		}
	}
	return orders, nil
}

func checkOrder(o *refundbot.Order) error {
	switch o.Status {
	case refundbot.OrderUnpaid, refundbot.OrderPaid, refundbot.OrderShipped,
		refundbot.OrderDelivered, refundbot.OrderCompleted, refundbot.OrderClosed:
	default:
		return refundbot.Errorf(refundbot.EINVALID, "order %q: status %q is not a contract status", o.OrderID, o.Status)
	}
	if o.OrderID == "" || len(o.OrderID) > 64 {
		return refundbot.Errorf(refundbot.EINVALID, "order_id is empty or longer than 64 bytes")
	}
	if o.PaidAmount < 0 || o.ShippingFee < 0 {
		return refundbot.Errorf(refundbot.EINVALID, "order %q: negative amount", o.OrderID)
	}
	for _, it := range o.Items {
		if it.Price < 0 || it.Quantity < 0 {
			return refundbot.Errorf(refundbot.EINVALID, "order %q: item %q has a negative price or quantity", o.OrderID, it.SKUID)
		}
	}
	if o.Currency == "" {
		o.Currency = "CNY"
	}
	if o.Items == nil {
		o.Items = []refundbot.Item{}
	}
	return nil
}

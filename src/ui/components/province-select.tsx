import type { ProvinceChoice } from "../province";

/**
 * The 省份 select of the price-check and product pages: 全国 first, then the provincial-level
 * regions, the chosen (or remembered) one selected. Its id and name are `province`, which the
 * pages' labels and `chooseProvince` read.
 */
export function ProvinceSelect(props: { place: ProvinceChoice; describedBy?: string }) {
  return (
    <select id="province" name="province" aria-describedby={props.describedBy}>
      <option value="">全国（不限）</option>
      {props.place.options.map((o) => (
        <option value={o.code} selected={o.code === props.place.code}>
          {o.name}
        </option>
      ))}
    </select>
  );
}

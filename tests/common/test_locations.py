"""Where a block sits: course order for "My journal" and links back to the unit."""
from xblocks.common.locations import WORKBENCH_COURSE, course_id_of, course_position, unit_url


def test_positions_sort_in_course_order_across_nested_containers(wb):
    inner = "".join(f'<bizmooc_reflection_journal display_name="Block {i}"/>' for i in range(12))
    root = wb.load(f"<vertical_demo><vertical_demo>{inner}</vertical_demo>"
                   f"<bizmooc_reflection_journal display_name='Last'/></vertical_demo>")
    first_unit, last = wb.children(root)
    blocks = [wb.block(usage_id) for usage_id in wb.children(first_unit)] + [wb.block(last)]
    positions = [course_position(block) for block in blocks]
    # Index 10 and 11 sort after 9 (not as text "10" < "9"), and the later unit after all.
    assert sorted(positions) == positions
    assert len(set(positions)) == len(positions)


def test_a_block_without_parent_has_a_position_of_its_own(wb):
    usage_id = wb.load("<bizmooc_reflection_journal/>")
    assert course_position(wb.block(usage_id)).endswith(usage_id)


def test_workbench_blocks_belong_to_the_pretend_course(wb):
    assert course_id_of(wb.block(wb.load("<bizmooc_reflection_journal/>"))) == WORKBENCH_COURSE


def test_unit_links_only_where_the_platform_has_units(settings):
    settings.XBLOCK_SETTINGS = {"bizmooc": {}}  # the default template: Open edX's jump_to
    course = "course-v1:BizMOOC+L2L+2024"
    usage = "block-v1:BizMOOC+L2L+2024+type@bizmooc_reflection_journal+block@week1"
    assert unit_url(course, usage) == f"/courses/{course}/jump_to/{usage}"
    assert unit_url(WORKBENCH_COURSE, "anything") == ""
    settings.XBLOCK_SETTINGS = {"bizmooc": {"UNIT_URL_TEMPLATE": ""}}
    assert unit_url(course, usage) == ""
